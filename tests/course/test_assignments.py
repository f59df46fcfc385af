"""The graded mode end to end: build first_run's Otter assignment, grade synthetic submissions
with ``otter run`` (Otter's no-container mode, what Gradescope's run_autograder does), read the
scores from the grades CSV and the feedback from each results.json.

Needs the grade venv (.venv-grade, ``make grade-venv``); the test creates it when it is missing
and fails with a clear message when it cannot. ``make assignments-test`` runs this file alone.
The quick tests at the end (no Otter) check the grading logic itself in the book's venv.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from gru_course import graded, graded_variants
from gru_course.sets import first_run as _first_run_set
from gru_lib import GRUParams, run

ROOT = Path(__file__).resolve().parents[2]
GRADE_VENV = ROOT / ".venv-grade"
CHAPTER = "first_run"
BOOK_CORRECT_LETTER = "c"  # chapters/first_run.md, exercise 1.4


# ------------------------------------------------------------------ answers a student would write
def h2_pair(student_id: str) -> tuple[float, float]:
    """Exercise 1.1 for this student, computed with gru_lib.run from the numbers the student sees."""
    p = graded_variants.parameters(student_id, CHAPTER, 1)
    w, xs = p["weights"], np.array(p["inputs"]).reshape(2, 1, 1)
    theta = GRUParams(
        **{k.replace("w_", "W_").replace("u_", "U_"): [[v]] if k[0] in "wu" else [v] for k, v in w.items()}
    )
    return tuple(float(run(theta, xs, update=u, reset="before").h[1, 0, 0]) for u in ("keep", "admit"))


def letter_for(student_id: str, book_letter: str) -> str:
    """The letter under which this student sees the book's option ``book_letter``."""
    order = graded_variants.letter_order(student_id, CHAPTER, 4, ["a", "b", "c", "d"])
    return chr(97 + order.index(book_letter))


Q1_FROM_P = """\
w, (x1, x2) = p["weights"], p["inputs"]
th = GRUParams(W_z=[[w["w_z"]]], U_z=[[w["u_z"]]], b_z=[w["b_z"]], W_r=[[w["w_r"]]], U_r=[[w["u_r"]]],
               b_r=[w["b_r"]], W_h=[[w["w_h"]]], U_h=[[w["u_h"]]], b_h=[w["b_h"]])
xs = np.array([x1, x2]).reshape(2, 1, 1)
h2_keep = run(th, xs, update="keep", reset="before").h[1, 0, 0]
h2_admit = run(th, xs, update="admit", reset="before").h[1, 0, 0]
"""
Q2_RIGHT = """\
def to_admit(theta):
    changes = dict(W_z=-theta.W_z, U_z=-theta.U_z, b_z=-theta.b_z)
    if theta.b_z_rec is not None:
        changes["b_z_rec"] = -theta.b_z_rec
    return theta.replace(**changes)
"""
Q2_LOOP = "def to_admit(theta):\n    while True:\n        pass\n"
Q2_EXIT = "def to_admit(theta):\n    import sys\n    sys.exit(0)\n"
Q3_RIGHT = "h_admit_conv = (1 - sigma(-a)) * h + sigma(-a) * c\ndifference = sp.simplify(h_admit_conv - h_keep)\n"
RECORD = {
    1: "answer_1 = (h2_keep, h2_admit)\nrecord('q1', answer_1)",
    2: "answer_2 = to_admit\nrecord('q2', answer_2)",
    3: "answer_3 = (h_admit_conv, difference)\nrecord('q3', answer_3)",
    4: "answer_4 = answer\nrecord('q4', answer_4)",
}
FORGED = 'print("Exercise 1.1: ✓ Correct. Well done.")\nprint("q1 results: All test cases passed!")\n'
PATCHES = """\
import os, sys
sys.path.insert(0, os.path.abspath("_grader"))
import gru_course.graded as g
g.grade = lambda *args, **kwargs: ("correct", "Well done.")
g.autograde = lambda *args, **kwargs: None
from gru_course.sets.first_run import q1, q2, q4
q1.checker = q2.checker = q4.checker = lambda a: None
"""


def submission(student: str, sid: str, bodies: dict[int, str], extra: str = "") -> nbformat.NotebookNode:
    """The student notebook with the id set, each answer cell replaced (body + the fixed record
    lines) and, optionally, one more cell at the end."""
    nb = nbformat.read(student, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.source.startswith("# Your student id"):
            cell.source = f'STUDENT_ID = "{sid}"'
        for k, body in bodies.items():
            if f"record('q{k}'" in cell.source:
                cell.source = body + RECORD[k]
    if extra:
        nb.cells.insert(len(nb.cells) - 3, nbformat.v4.new_code_cell(extra))
    return nb


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def grade_python() -> Path:
    python, otter = GRADE_VENV / "bin" / "python", GRADE_VENV / "bin" / "otter"
    if not otter.exists():
        done = subprocess.run(["make", "-C", str(ROOT), "grade-venv"], capture_output=True, text=True, check=False)
        if not otter.exists():
            pytest.fail(
                "The grade venv (.venv-grade with Otter-Grader) is missing and `make grade-venv` could not create "
                f"it:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
            )
    return python


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'chapters'}"}


@pytest.fixture(scope="module")
def graded_run(grade_python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("assignments")
    tool = str(ROOT / "tools" / "make_assignments.py")
    done = subprocess.run(
        [str(grade_python), tool, "build", "--chapter", CHAPTER, "--out", str(out)],
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    dist = out / CHAPTER / "dist"
    student = dist / "student" / f"{CHAPTER}.ipynb"
    a_keep, a_admit = h2_pair("alice")
    subs = {
        # everything right, then a later cell reuses every answer's variable name
        "correct_reused": submission(
            str(student),
            "alice",
            {1: Q1_FROM_P, 2: Q2_RIGHT, 3: Q3_RIGHT, 4: f'answer = "{letter_for("alice", "c")}"\n'},
            extra='h2_keep = h2_admit = 0.0\nanswer_1 = None\nto_admit = None\nanswer = "zz"\nanswer_4 = "zz"\n',
        ),
        # the keep and admit values swapped, a function calling sys.exit(), a wrong option
        "wrong": submission(
            str(student),
            "alice",
            {
                1: f"h2_keep, h2_admit = {a_admit!r}, {a_keep!r}\n",
                2: Q2_EXIT,
                3: Q3_RIGHT,
                4: f'answer = "{letter_for("alice", "a")}"\n',
            },
        ),
        # a forged "✓ Correct", an endless loop, a patched checker and grader (with a wrong option)
        "forged": submission(
            str(student),
            "alice",
            {
                1: FORGED + "h2_keep = h2_admit = ...\n",
                2: Q2_LOOP,
                3: Q3_RIGHT,
                4: PATCHES + f'answer = "{letter_for("alice", "a")}"\n',
            },
        ),
        "bob": submission(
            str(student),
            "bob",
            {1: Q1_FROM_P, 2: Q2_RIGHT, 3: Q3_RIGHT, 4: f'answer = "{letter_for("bob", "c")}"\n'},
        ),
        # alice's numbers handed in under bob's id
        "alice_as_bob": submission(
            str(student), "bob", {1: f"h2_keep, h2_admit = {a_keep!r}, {a_admit!r}\n", 2: Q2_RIGHT, 3: Q3_RIGHT}
        ),
    }
    paths = []
    for name, nb in subs.items():
        path = out / "submissions" / f"{name}.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nb, path)
        paths.append(str(path))
    grades = out / "grades"
    autograder = str(dist / "autograder" / "autograder.zip")
    done = subprocess.run(
        [str(grade_python), tool, "grade", "--autograder", autograder, "--out", str(grades), *paths],
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with (grades / "grades.csv").open(encoding="utf-8") as f:
        rows = {Path(r["file"]).stem: r for r in csv.DictReader(f)}
    feedback = {}
    for name in subs:
        data = json.loads((grades / name / "results.json").read_text(encoding="utf-8"))
        feedback[name] = {t["name"]: t.get("output", "") for t in data["tests"]}
    return {"rows": rows, "feedback": feedback, "dist": dist}


# Each question is worth its exercise's points (the set's plan); the grades are read against them.

POINTS = {f"q{k}": float(ex.points) for k, ex in enumerate(_first_run_set.SET, start=1)}
FULL = sum(POINTS.values())


def _only(*questions: str) -> dict[str, float]:
    """The scores when exactly ``questions`` earn their points."""
    return {q: (p if q in questions else 0.0) for q, p in POINTS.items()}


def _scores(row: dict) -> dict[str, float]:
    return {k: float(v) for k, v in row.items() if k.startswith("q")}


# ------------------------------------------------------------------ the graded runs
@pytest.mark.slow
def test_all_correct_gets_full_marks_even_after_the_names_are_reused(graded_run: dict) -> None:
    row = graded_run["rows"]["correct_reused"]
    assert _scores(row) == POINTS and len(POINTS) == 4
    assert float(row["total"]) == FULL


@pytest.mark.slow
def test_wrong_answers_get_partial_marks_and_the_books_feedback(graded_run: dict) -> None:
    row, out = graded_run["rows"]["wrong"], graded_run["feedback"]["wrong"]
    assert _scores(row) == _only("q3")
    assert "swapped" in out["q1"]
    assert "sys.exit()" in out["q2"]
    assert "Both equations are correct" in out["q4"]  # the book's feedback for its option a


@pytest.mark.slow
def test_forged_output_patched_checkers_and_an_endless_loop_score_nothing(graded_run: dict) -> None:
    row, out = graded_run["rows"]["forged"], graded_run["feedback"]["forged"]
    assert _scores(row) == _only("q3")
    assert "Not attempted" in out["q1"]
    assert "did not return within 10 s" in out["q2"]
    assert "Both equations are correct" in out["q4"]


@pytest.mark.slow
def test_each_student_is_graded_on_their_own_numbers(graded_run: dict) -> None:
    rows = graded_run["rows"]
    assert float(rows["bob"]["total"]) == FULL
    assert float(rows["alice_as_bob"]["q1"]) == 0.0  # alice's right answer is wrong for bob
    assert float(rows["alice_as_bob"]["q2"]) == POINTS["q2"] and float(rows["alice_as_bob"]["q3"]) == POINTS["q3"]


@pytest.mark.slow
def test_the_student_notebook_holds_no_solution_and_no_hidden_test(graded_run: dict) -> None:
    dist = graded_run["dist"]
    text = (dist / "student" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8")
    for secret in ("reference(", "BEGIN SOLUTION", "autograde(", "gru_course", "theta.replace(**", "sigma(-a)) * h"):
        assert secret not in text
    public = "".join(p.read_text(encoding="utf-8") for p in (dist / "student" / "tests").glob("*.py"))
    assert "hidden=True" not in public and "autograde(" not in public
    assert "hidden=True" in (dist / "autograder" / "tests" / "q1.py").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the grading logic (no Otter)
def test_two_students_get_different_numbers_and_option_orders() -> None:
    assert graded_variants.question_text("alice", CHAPTER, 1) != graded_variants.question_text("bob", CHAPTER, 1)
    assert not np.allclose(h2_pair("alice"), h2_pair("bob"), rtol=1e-3)
    orders = {tuple(graded_variants.letter_order(f"s{i}", CHAPTER, 4, "abcd")) for i in range(20)}
    assert len(orders) > 1
    for chapter, position in graded_variants.VARIANTS:
        assert graded.reference(chapter, position, "alice") != graded.reference(chapter, position, "bob")


def test_a_students_own_computation_is_accepted_and_anothers_is_not() -> None:
    assert graded.grade(CHAPTER, 1, "alice", h2_pair("alice"))[0] == "correct"
    assert graded.grade(CHAPTER, 1, "bob", h2_pair("alice"))[0] == "incorrect"
    assert graded.grade(CHAPTER, 4, "alice", letter_for("alice", BOOK_CORRECT_LETTER))[0] == "correct"


def test_feedback_never_counts_the_right_figures() -> None:
    keep, admit = h2_pair("alice")
    status, message = graded.grade(CHAPTER, 1, "alice", (keep * (1 + 3e-3), admit))
    assert status == "incorrect"
    assert "not right to 4 significant figures yet" in message
    assert "right to 2" not in message and "right to 3" not in message


def test_a_replaced_library_function_is_found() -> None:
    import gru_lib.cell

    assert graded.changed_library() == []
    original = gru_lib.cell.step
    try:
        gru_lib.cell.step = lambda *args, **kwargs: None
        assert "gru_lib.cell.step" in graded.changed_library()
    finally:
        gru_lib.cell.step = original
    assert graded.changed_library() == []


def test_a_student_id_must_be_given() -> None:
    with pytest.raises(ValueError, match="student_id"):
        graded_variants.parameters("", CHAPTER, 1)
    with pytest.raises(AssertionError, match="STUDENT_ID"):
        graded.autograde({"STUDENT_ID": ...}, CHAPTER, 1)


# ------------------------------------------------------------------ every numeric exercise is varied
def _numeric_exercises() -> list[tuple[str, int]]:
    from gru_course.index import exercises

    return [
        (e.chapter, graded.question(e.chapter, int(e.number.split(".")[1])).position)
        for e in exercises()
        if e.kind == "numeric"
    ]


#: The book's own numbers of each varied exercise whose graded question is the self-study one with
#: other numbers (two_updates 4 and why_keep 1 ask a different question in graded mode).
BOOK_PARAMETERS: dict[tuple[str, int], dict] = {
    ("first_run", 1): {"weights": dict(_first_run_set.Q1_WEIGHTS), "inputs": _first_run_set.Q1_INPUTS},
    ("anatomy", 1): {"D": 5, "H": 8},
    ("retention", 2): {"b_z": 2.5, "w_z": -4.0},
    ("proof", 2): {"seed": 7, "input_seed": 8, "steps": 6},
    ("training", 1): {"bias": 2.0, "updates": 15},
    ("training", 2): {"seed": 31, "lr": 0.5, "decay": 0.1, "steps": 5},
    ("frameworks", 3): {"b_h": 1.0, "b_h_rec": -3.0, "x": 0.0},
    ("floats", 1): {"w": 1.0, "b": 0.0},
    ("floats", 2): {"a": 30.0},
}
STUDENTS = ("alice", "bob", "s1234567", "s7654321")


def test_every_numeric_exercise_is_varied() -> None:
    numeric = _numeric_exercises()
    assert len(numeric) >= 10
    for key in numeric:
        assert key in graded_variants.VARIANTS and key in graded._VARIED, key
        assert graded.question(*key).varied


@pytest.mark.parametrize("key", _numeric_exercises(), ids=lambda k: f"{k[0]}-{k[1]}")
def test_two_students_get_different_numbers_texts_and_references(key: tuple[str, int]) -> None:
    params = [graded_variants.parameters(s, *key) for s in STUDENTS]
    refs = [graded.reference(*key, s) for s in STUDENTS]
    texts = [graded_variants.question_text(s, *key) for s in STUDENTS]
    assert params[0] != params[1] and texts[0] != texts[1]
    assert not np.allclose(np.atleast_1d(refs[0]), np.atleast_1d(refs[1]), rtol=1e-3, atol=0.0)
    for s, p, ref in zip(STUDENTS, params, refs, strict=True):
        assert graded_variants.parameters(s, *key) == p  # the same id always gives the same numbers
        assert graded.grade(key[0], key[1], s, ref)[0] == "correct"
        assert np.all(np.isfinite(np.atleast_1d(ref)))


@pytest.mark.parametrize("key", _numeric_exercises(), ids=lambda k: f"{k[0]}-{k[1]}")
def test_a_known_wrong_answer_is_rejected_with_its_feedback(key: tuple[str, int]) -> None:
    names, expected, wrong, _ = graded._VARIED[key]
    for s in STUDENTS:
        p = graded_variants.parameters(s, *key)
        right = expected(p)
        for values, feedback in wrong(p):
            answer = tuple(r if v is None else v for v, r in zip(values, right, strict=True))
            if np.allclose(answer, right, rtol=1e-3, atol=1e-12):
                continue  # this wrong answer coincides with the right one for these numbers
            status, message = graded.grade(key[0], key[1], s, answer[0] if len(names) == 1 else answer)
            assert status == "incorrect" and feedback in message, (s, values)


@pytest.mark.parametrize("key", sorted(BOOK_PARAMETERS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_the_books_own_numbers_give_the_self_study_reference(key: tuple[str, int]) -> None:
    expected = graded._VARIED[key][1]
    got = np.atleast_1d(np.array(expected(BOOK_PARAMETERS[key]), dtype=float))
    want = np.atleast_1d(np.array(graded.question(*key).exercise.reference(), dtype=float))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("key", sorted(BOOK_PARAMETERS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_the_books_own_numbers_lie_in_the_drawn_range(key: tuple[str, int]) -> None:
    """Some student may get the book's numbers: each of them is among the values the variant draws."""
    drawn = [graded_variants.parameters(f"s{i}", *key) for i in range(400)]
    for name, value in BOOK_PARAMETERS[key].items():
        if isinstance(value, dict):
            for k, v in value.items():
                seen = [d[name][k] for d in drawn]
                assert min(seen) <= v <= max(seen), (name, k)
        elif isinstance(value, tuple):
            for i, v in enumerate(value):
                seen = [d[name][i] for d in drawn]
                assert min(seen) <= v <= max(seen), (name, i)
        elif name not in ("seed", "input_seed"):
            assert value in {d[name] for d in drawn}, name


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))

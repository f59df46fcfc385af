"""The exercise framework and every chapter's exercises, checked generically.

- gru_course.exercises: stubs report "not attempted", feedback is specific, nothing raises or warns.
- every module in gru_course.sets (found with pkgutil): its SET holds q1..qN in order; the reference
  answer passes, each known wrong answer fails with its intended feedback, untouched answers report
  "not attempted", odd and random bad inputs give feedback (never an exception or a warning).
- every chapter in _toc.yml that has an exercise set: 3 to 5 exercises in its markup, each with a
  matching solution whose code calls ``assert qN.check(...)``, an answer cell with a stub, the box's
  title, options and stated tolerance equal to the set's.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import warnings
from pathlib import Path

import jupytext
import numpy as np
import pytest
import yaml
from chapters_index import notebook_chapters
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gru_course.sets as exercise_sets
from gru_course.exercises import (
    CORRECT,
    INCORRECT,
    KINDS,
    NOT_ATTEMPTED,
    Exercise,
    ExerciseSet,
    Incorrect,
    NotAttempted,
    Result,
    call_student,
    close_enough,
    expect_callable,
    expect_choice,
    expect_close,
    expect_expression,
    expect_number,
    is_stub,
    is_stub_function,
    significant_figures,
)

ROOT = Path(__file__).resolve().parents[2]
MODULE_NAMES = sorted(m.name for m in pkgutil.iter_modules(exercise_sets.__path__))
STATUSES = (CORRECT, INCORRECT, NOT_ATTEMPTED)


# ------------------------------------------------------------------ discovery
def _load(name: str):
    try:
        return importlib.import_module(f"gru_course.sets.{name}"), None
    except Exception as exc:  # reported by test_module_imports, not as a collection error
        return None, exc


def _questions(module) -> dict[int, Exercise]:
    return {int(k[1:]): v for k, v in vars(module).items() if re.fullmatch(r"q\d+", k) and isinstance(v, Exercise)}


LOADED = {name: _load(name) for name in MODULE_NAMES}
EXERCISES = [
    (f"{name}.q{n}", ex)
    for name, (mod, _) in LOADED.items()
    if mod is not None
    for n, ex in sorted(_questions(mod).items())
]
EXERCISE_IDS = [i for i, _ in EXERCISES]
EXERCISE_OBJS = [e for _, e in EXERCISES]
CODE_IDS = [i for i, e in EXERCISES if e.kind == "code"]
CODE_OBJS = [e for e in EXERCISE_OBJS if e.kind == "code"]


def _website_numbers() -> dict[str, int]:
    """Chapter numbers as Jupyter Book 1.x with use_multitoc_numbering shows them, read here from _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbers, n = {}, 0
    for part in toc["parts"]:
        if part.get("numbered"):
            for chapter in part["chapters"]:
                n += 1
                numbers[Path(chapter["file"]).stem] = n
    return numbers


def _is_notebook(path: Path) -> bool:
    """A MyST notebook starts with a jupytext header that names a kernel."""
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec" in text.split("---")[1]


def _stub_function(*args, **kwargs): ...


def _stub_with_docstring(theta):
    """Return the converted parameters."""
    # your code here
    ...


def _stub_pass(x, y):
    pass


def _stub_returns_ellipsis(x):
    return ...


STUBS = [..., None, _stub_function, _stub_with_docstring, _stub_pass, _stub_returns_ellipsis, (..., ...), [..., None]]


def test_there_are_exercise_sets():
    assert "first_run" in MODULE_NAMES


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_imports(name):
    _, error = LOADED[name]
    assert error is None, f"gru_course.sets.{name} does not import: {type(error).__name__}: {error}"


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_defines_q1_to_qN_as_its_set(name):
    module, _ = LOADED[name]
    assert module is not None
    numbers = sorted(_questions(module))
    assert numbers == list(range(1, len(numbers) + 1)), f"{name}: expected q1..qN, found q{numbers}"
    assert 3 <= len(numbers) <= 5, f"{name}: {len(numbers)} exercises; a chapter has 3 to 5"
    assert isinstance(module.SET, ExerciseSet) and module.SET.chapter == name
    assert [module.SET.exercises[k - 1] for k in numbers] == [_questions(module)[k] for k in numbers]
    assert len(module.SET) == len(numbers)


# ------------------------------------------------------------------ every exercise, generically
@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_exercise_is_complete(ex):
    assert ex.kind in KINDS, f"{ex.name}: kind {ex.kind!r} is not one of {KINDS}"
    assert len(ex.wrong_answers()) >= 1, f"{ex.name}: no known wrong answers"
    assert ex.hint_text and ex.solution_text.strip() and ex.title.strip()


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_name_is_the_website_number(ex):
    """'Exercise 3.1': chapter number from _toc.yml (numbered parts, counted across parts), then the position."""
    k = next(n for n, q in _questions(LOADED[ex.chapter][0]).items() if q is ex)
    assert ex.name == f"Exercise {_website_numbers()[ex.chapter]}.{k}"


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_reference_passes(ex, capsys):
    result = ex.check(ex.reference())
    assert result.status == CORRECT, f"{ex.name}: the reference answer fails: {result.message}"
    assert bool(result)
    assert capsys.readouterr().out.startswith(f"{ex.name}: ✓ Correct")


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_wrong_answers_fail_with_intended_feedback(ex):
    for answer, phrase in ex.wrong_answers():
        result = ex.evaluate(answer)
        assert not result, f"{ex.name}: the wrong answer {answer!r} is accepted"
        assert result.status in (INCORRECT, NOT_ATTEMPTED)
        assert phrase in result.message, (
            f"{ex.name}: for {answer!r} the feedback should mention {phrase!r}; it says {result.message!r}"
        )


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_wrong_answers_get_distinct_feedback(ex):
    """Feedback is specific: the known wrong answers do not all get one and the same message."""
    messages = {ex.evaluate(a).message for a, _ in ex.wrong_answers()}
    assert len(messages) >= min(2, len(ex.wrong_answers()))


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
@pytest.mark.parametrize(
    "stub",
    STUBS,
    ids=[
        "ellipsis",
        "None",
        "stub_fn",
        "stub_docstring",
        "stub_pass",
        "stub_return_ellipsis",
        "tuple_of_stubs",
        "list_of_stubs",
    ],
)
def test_untouched_reports_not_attempted(ex, stub, capsys):
    result = ex.check(stub)
    assert result.status == NOT_ATTEMPTED and not result
    assert capsys.readouterr().out.startswith(f"{ex.name}: ○ Not attempted")


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_check_without_an_answer_reports_not_attempted(ex):
    assert ex.evaluate().status == NOT_ATTEMPTED


ODD = [
    object(),
    "not an answer",
    1j,
    {"a": 1},
    float("nan"),
    lambda *a: 1 / 0,
    True,
    np.complex128(0.5),
    np.array([1 + 0j, 2]),
    10**400,
    [[1, 2], [3]],
    np.bool_(False),
    float("inf"),
    b"0.5",
]


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
@pytest.mark.parametrize(
    "odd",
    ODD,
    ids=[
        "object",
        "text",
        "complex",
        "dict",
        "nan",
        "raising_fn",
        "True",
        "np_complex",
        "complex_array",
        "huge_int",
        "ragged",
        "np_bool",
        "inf",
        "bytes",
    ],
)
def test_odd_answers_give_feedback_not_tracebacks(ex, odd):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ex.evaluate(odd)
    assert result.status == INCORRECT and result.message.strip()
    assert not caught, f"{ex.name}: {odd!r} leaked {[str(w.message) for w in caught]}"
    assert "warned" not in result.message and "Traceback" not in result.message


BAD_INPUTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.complex_numbers(),
    st.text(max_size=5),
    st.binary(max_size=4),
    st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=2), st.booleans()), max_size=4),
    st.tuples(st.floats(), st.floats()),
    st.tuples(st.integers(), st.integers(), st.integers()),
    st.tuples(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6)),
    hnp.arrays(
        st.sampled_from([np.float64, np.float32, np.int64, np.complex128, np.bool_]),
        hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
    ),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
@settings(max_examples=40)
@given(answer=BAD_INPUTS)
def test_bad_inputs_never_raise_or_warn(ex, answer):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ex.evaluate(answer)
    assert result.status in STATUSES and result.message.strip()
    assert not caught, f"{ex.name}: {answer!r} leaked {[str(w.message) for w in caught]}"
    assert "raised" not in result.message, f"{ex.name}: a checker failed on {answer!r}: {result.message}"


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_hint_and_solution_print_the_label(ex, capsys):
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out
    assert out.count(ex.name) == 2 and "Hint" in out and f"Solution to {ex.name}" in out


def test_no_echoing_the_given_expression_passes_first_run_q3():
    """The notebook gives h_keep; the check needs the admit form and sympy's own 0."""
    import sympy as sp

    from gru_course.sets import first_run

    a, h, c = sp.symbols("a h c", real=True)
    h_keep = h / (1 + sp.exp(-a)) + (1 - 1 / (1 + sp.exp(-a))) * c
    for echo in [(h_keep, 0), (h_keep, sp.Integer(0)), (h_keep, sp.simplify(h_keep - h_keep)), h_keep]:
        assert not first_run.q3.evaluate(echo)


def test_spot_the_convention_snippets_compute_what_the_set_says():
    """Run each snippet with every gate at 0.9, a zero candidate and an old state of 1: keep keeps 0.9."""
    from types import SimpleNamespace

    from gru_course.sets import two_updates

    one = np.ones((1, 1))
    gate = lambda a: np.full_like(a, 0.9)
    zero = lambda a: np.zeros_like(a)
    libs = {
        "torch": SimpleNamespace(sigmoid=gate, tanh=zero),
        "jax": SimpleNamespace(nn=SimpleNamespace(sigmoid=gate)),
        "jnp": SimpleNamespace(tanh=zero),
        "tf": SimpleNamespace(sigmoid=gate, tanh=zero, matmul=lambda a, b: a @ b),
    }
    for (code, convention), answer in zip(two_updates.SNIPPETS.values(), two_updates.q1.reference(), strict=True):
        names = set(re.findall(r"[A-Za-z_]\w*", code))
        ns = {**{n: one for n in names}, **libs}
        exec(code, ns)
        new = ns[re.findall(r"^(\w+) = ", code, flags=re.M)[-1]]
        assert convention == answer == ("keep" if np.allclose(new, 0.9) else "admit" if np.allclose(new, 0.1) else "?")


# ------------------------------------------------------------------ the framework itself
def _toy(checker=None, **kw) -> Exercise:
    def default(answer):
        expect_close(answer, 2.0, name="x", sig=4, wrong={"half": (1.0, "that is half of it")})

    return Exercise(
        title="Toy",
        kind="numeric",
        checker=checker or default,
        hint_text="h",
        solution_text="s",
        reference=lambda: 2.0,
        wrong_answers=lambda: [],
        **kw,
    )


def test_result_is_truthy_only_when_correct():
    assert Result(CORRECT, "")
    assert not Result(INCORRECT, "") and not Result(NOT_ATTEMPTED, "")


def test_partial_tuple_names_the_missing_part():
    result = _toy(lambda a: None).evaluate((1.0, ..., 3.0, None))
    assert result.status == INCORRECT and "Part 2, 4 " in result.message


def test_known_wrong_value_gets_its_feedback():
    assert _toy().evaluate(1.0).message == "that is half of it"
    assert _toy().evaluate([[2.0]]).status == CORRECT  # a one-element array counts as a number
    assert "opposite sign" in _toy().evaluate(-2.0).message
    assert "not right to 4 significant figures" in _toy().evaluate(2.5).message


def test_a_bug_in_the_checker_is_feedback_not_a_traceback():
    result = _toy(lambda a: {}["missing"]).evaluate(1.0)
    assert result.status == INCORRECT and "KeyError" in result.message


def test_checker_can_report_not_attempted():
    def checker(fn):
        call_student(fn, 1.0)

    def forgets_return(x):
        x + 1

    result = _toy(checker).evaluate(forgets_return)
    assert result.status == NOT_ATTEMPTED and "returned None" in result.message


def test_hints_are_given_one_at_a_time(capsys):
    ex = Exercise(
        title="Toy",
        kind="numeric",
        checker=lambda a: None,
        hint_text=["first", "second"],
        solution_text="s",
        reference=lambda: 1,
        wrong_answers=lambda: [],
    )
    ex.hint()
    assert "first" in capsys.readouterr().out
    ex.hint()
    ex.hint()
    out = capsys.readouterr().out
    assert out.count("second") == 2 and "Hint 2/2" in out


def test_is_stub_function():
    assert is_stub_function(_stub_function) and is_stub_function(_stub_with_docstring)
    assert is_stub_function(lambda x: None)
    assert not is_stub_function(lambda x: x) and not is_stub_function(print)
    assert not is_stub_function(np.sum)


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.text(min_size=1), st.lists(st.integers(), min_size=1)))
def test_filled_in_answers_are_not_stubs(value):
    assert not is_stub(value)


# ------------------------------------------------------------------ numbers: 4 significant figures, no coercions
@pytest.mark.parametrize(
    ("got", "want", "figures"),
    [
        (0.3204, 0.320389, 4),
        (0.3203, 0.320389, 4),
        (0.3202, 0.320389, 3),
        (0.32, 0.320389, 3),
        (0.3, 0.320389, 1),
        (0.5, 0.320389, 0),
        (-0.3204, 0.320389, 0),
        (1235.0, 1234.5, 4),
        (1240.0, 1234.5, 3),
        (1300.0, 1234.5, 2),
        (1.4e-14, 1.3988e-14, 3),
        (1.399e-14, 1.3988e-14, 4),
    ],
)
def test_significant_figures_by_hand(got, want, figures):
    assert significant_figures(got, want) == figures
    assert close_enough(got, want) == (figures >= 4)


@given(st.floats(-1e300, 1e300).filter(lambda x: abs(x) > 1e-300))
def test_rounding_to_4_figures_is_accepted_and_to_2_is_not(x):
    assert close_enough(float(f"{x:.4g}"), x)
    if significant_figures(float(f"{x:.2g}"), x) < 4:
        assert not close_enough(float(f"{x:.2g}"), x)


def test_imprecise_numbers_are_told_their_figures_not_the_answer():
    ex = ExerciseSet("nowhere").numeric("T", expected=lambda: 0.123456, names=("v",), hint="h", solution="s")
    message = ex.evaluate(0.1235).message + ex.evaluate(0.12).message
    assert ex.evaluate(0.1235) and "right to 2 significant figures, need 4" in message
    assert "0.1234" not in message and "0.123456" not in message
    assert "off (not even" in ex.evaluate(0.9).message


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (True, "truth value"),
        (np.bool_(True), "truth value"),
        ([True, False], "truth values"),
        (1 + 0j, "complex"),
        (np.complex128(1), "complex"),
        (np.array([1 + 0j]), "complex"),
        ("1", "text"),
        (b"1", "text"),
        ({1: 1}, "list of numbers"),
    ],
)
def test_no_truthiness_or_real_part_coercion(answer, phrase):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(Incorrect, match=phrase):
            expect_number(answer, "x")


def test_expect_number_accepts_real_numbers_of_every_kind():
    import fractions

    import sympy as sp

    for value in (0.25, np.float32(0.25), [[0.25]], fractions.Fraction(1, 4), sp.Rational(1, 4), sp.Float(0.25)):
        assert expect_number(value, "x") == 0.25
    with pytest.raises(Incorrect, match="single number"):
        expect_number([1.0, 2.0], "x")


def test_expect_close_explains_shapes():
    with pytest.raises(Incorrect, match="transposed"):
        expect_close(np.zeros((3, 2)), np.zeros((2, 3)), name="x", sig=6)
    with pytest.raises(Incorrect, match="extra axes"):
        expect_close(np.zeros((1, 3)), np.zeros(3), name="x", sig=6)
    with pytest.raises(Incorrect, match="is a function"):
        expect_close(np.sum, 1.0, name="x", sig=6)
    with pytest.raises(Incorrect, match="NaN"):
        expect_close([np.nan, 1.0], [1.0, 1.0], name="x", sig=6)


@pytest.mark.parametrize("spelling", ["b", "B", " (b) ", "b.", "B)", "**b**"])
def test_expect_choice_accepts_spellings(spelling):
    expect_choice(spelling, "b", feedback={"a": "no, a"})


def test_expect_choice_feedback():
    with pytest.raises(Incorrect, match="no, a"):
        expect_choice("a", "b", feedback={"a": "no, a"})
    for odd in ("z", True, 1, None, ["b"]):
        with pytest.raises(Incorrect, match="one of the letters a, b"):
            expect_choice(odd, "b", feedback={"a": "no, a"})


def test_multiple_choice_correct_letters_are_spread_over_a_to_d():
    letters = [ex.correct for ex in EXERCISE_OBJS if ex.options]
    assert len(letters) >= 8
    for letter in "abcd":
        assert letters.count(letter) >= 1, f"no multiple-choice exercise has {letter!r} as its answer: {letters}"
        assert letters.count(letter) <= 0.4 * len(letters), f"{letter!r} is the answer too often: {letters}"


def test_expect_callable_and_call_student():
    with pytest.raises(Incorrect, match="should be a function"):
        expect_callable(3)
    with pytest.raises(Incorrect, match="ZeroDivisionError"):
        call_student(lambda: 1 / 0)
    with pytest.raises(NotAttempted):
        call_student(lambda: ...)
    assert call_student(lambda x: x + 1, 1) == 2


def test_expect_expression_compares_functions_not_spellings():
    import sympy as sp

    a = sp.Symbol("a")
    a_real = sp.Symbol("a", real=True)
    sigma = lambda t: 1 / (1 + sp.exp(-t))
    expect_expression(sigma(-a_real), 1 - sigma(a), [a])  # same function, other assumptions and spelling
    with pytest.raises(Incorrect, match="not odd"):
        expect_expression(-sigma(a), 1 - sigma(a), [a], wrong={"odd": (-sigma(a), "not odd")})
    with pytest.raises(Incorrect, match="uses the symbol"):
        expect_expression(a + sp.Symbol("b"), a, [a])
    with pytest.raises(Incorrect, match="differs"):  # a complex value is not its real part
        expect_expression(a + sp.I * 1e-3, a, [a])
    with pytest.raises(Incorrect, match="truth value"):
        expect_expression(True, a, [a])


# ------------------------------------------------------------------ the time limit
def _loops_forever(*args):
    while True:
        pass


def _exits(*args):
    import sys

    sys.exit(3)


def _kills_its_process(*args):
    import os

    os._exit(0)


def _code_toy(limit: float) -> Exercise:
    return ExerciseSet("nowhere").code(
        "T",
        checker=lambda fn: call_student(expect_callable(fn), 1.0),
        reference=lambda: abs,
        wrong_answers=lambda: [],
        hint="h",
        solution="s",
        time_limit=limit,
    )


@pytest.mark.parametrize(
    ("fn", "phrase"),
    [
        (_loops_forever, "did not return within 0.3 s"),
        (_exits, "sys.exit()"),
        (_kills_its_process, "ended the Python process"),
        (lambda x: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_a_function_that_hangs_or_exits_gets_feedback_within_the_limit(fn, phrase):
    import time

    start = time.monotonic()
    result = _code_toy(0.3).evaluate(fn)
    assert time.monotonic() - start < 0.3 + 2.0
    assert result.status == INCORRECT and phrase in result.message
    assert _code_toy(0.3).evaluate(abs), "and a working function still passes"


@pytest.mark.slow
@pytest.mark.parametrize("ex", CODE_OBJS, ids=CODE_IDS)
@pytest.mark.parametrize("fn", [_loops_forever, _exits], ids=["while_true", "sys_exit"])
def test_every_code_check_survives_hangs_and_exits(ex, fn):
    import dataclasses
    import time

    quick = dataclasses.replace(ex, time_limit=0.5)
    start = time.monotonic()
    result = quick.evaluate(fn)
    assert time.monotonic() - start < 0.5 + 2.0
    assert result.status == INCORRECT
    assert ("did not return within 0.5 s" if fn is _loops_forever else "sys.exit()") in result.message


# ------------------------------------------------------------------ the chapters' markup
NOTEBOOK_CHAPTERS = [p for p in notebook_chapters() if p.stem in MODULE_NAMES]
FENCE = re.compile(r"^(`{3,}|:{3,})\{(exercise|solution-start|solution-end)\}[ \t]*(.*)$", re.M)


def _events(path: Path) -> list[tuple]:
    """The chapter as a sequence: ('exercise', label), ('start', label), ('end',), ('code', source)."""
    events: list[tuple] = []
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code":
            events.append(("code", cell.source))
            continue
        for m in FENCE.finditer(cell.source):
            kind = m.group(2)
            if kind == "exercise":
                label = re.search(r"^:label:\s*(\S+)", cell.source[m.end() :], re.M)
                events.append(("exercise", label.group(1) if label else None))
            elif kind == "solution-start":
                events.append(("start", m.group(3).strip()))
            else:
                events.append(("end",))
    return events


def _boxes(path: Path) -> list[tuple[str, str]]:
    """(title, body) of every {exercise} box of a chapter, read from its source."""
    text = path.read_text(encoding="utf-8")
    return [
        (m.group(2).strip(), m.group(3))
        for m in re.finditer(r"^(`{3,}|:{3,})\{exercise\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$", text, re.M | re.S)
    ]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_set_has_a_chapter_and_every_numbered_chapter_a_set():
    assert sorted(p.stem for p in NOTEBOOK_CHAPTERS) == MODULE_NAMES
    numbered = set(_website_numbers())
    assert set(MODULE_NAMES) <= numbered, "every chapter with exercises has a chapter number"
    # a numbered page that is not a notebook (a plain Markdown appendix) has no code and no set
    plain = {name for name in numbered - set(MODULE_NAMES) if not _is_notebook(ROOT / "chapters" / f"{name}.md")}
    assert numbered - set(MODULE_NAMES) == plain, "every numbered notebook chapter has a set"


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_3_to_5_exercises(path):
    count = sum(1 for e in _events(path) if e[0] == "exercise")
    assert 3 <= count <= 5, f"{path.name}: {count} {{exercise}} directives; a chapter has 3 to 5"
    text = path.read_text(encoding="utf-8")
    assert "\n## Exercises" in text, f"{path.name}: no '## Exercises' section"
    if "\n## Summary" in text:
        assert text.index("\n## Exercises") < text.index("\n## Summary"), "exercises come before the summary"


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_boxes_match_their_set(path):
    """Title, label, options (in order) and the stated tolerance of every box are the set's."""
    module = LOADED[path.stem][0]
    boxes = _boxes(path)
    assert len(boxes) == len(module.SET)
    for ex, (title, body) in zip(module.SET, boxes, strict=True):
        assert title == ex.title, f"{ex.name}: the box says {title!r}, the set {ex.title!r}"
        assert re.search(rf"^:label:\s*{ex.label}\s*$", body, re.M), f"{ex.name}: label {ex.label} missing"
        flat = _flat(body)
        if ex.tolerance:
            assert ex.tolerance in flat, f"{ex.name}: the text must state the tolerance {ex.tolerance!r}"
        if ex.options:
            listed = re.findall(r"^- \*\*([a-z])\*\* ", body, re.M)
            assert listed == sorted(ex.options), f"{ex.name}: options {listed}, set has {sorted(ex.options)}"
            for letter, text in ex.options.items():
                assert f"**{letter}** {_flat(text)}" in flat, f"{ex.name}: option {letter} differs from the set"


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_each_exercise_has_answer_cell_and_checked_solution(path):
    events = _events(path)
    exercises = [e[1] for e in events if e[0] == "exercise"]
    assert exercises and all(exercises), f"{path.name}: every {{exercise}} needs a :label:"
    k = 0
    i = 0
    while i < len(events):
        if events[i][0] != "exercise":
            i += 1
            continue
        k += 1
        label = events[i][1]
        j = i + 1
        answer_cells = []
        while j < len(events) and events[j][0] == "code":
            answer_cells.append(events[j][1])
            j += 1
        assert any(f"q{k}.check(" in src and "..." in src for src in answer_cells), (
            f"{path.name}: exercise {k} ({label}) needs an answer cell with a ... stub calling q{k}.check(...)"
        )
        assert j < len(events) and events[j] == ("start", label), (
            f"{path.name}: exercise {k} ({label}) is not followed by {{solution-start}} {label}"
        )
        end = next((m for m in range(j + 1, len(events)) if events[m][0] in ("end", "exercise", "start")), None)
        assert end is not None and events[end] == ("end",), f"{path.name}: solution {label} has no {{solution-end}}"
        code = [events[m][1] for m in range(j + 1, end)]
        assert code, f"{path.name}: solution {label} has no code cell"
        # every solution cell calls the check; at least one (perhaps hidden) asserts it
        for src in code:
            assert re.search(rf"\bq{k}\.check\(", src), (
                f"{path.name}: a solution code cell of exercise {k} does not call q{k}.check(...):\n{src}"
            )
        assert any(re.search(rf"assert\s+q{k}\.check\(", src) for src in code), (
            f"{path.name}: no solution code cell of exercise {k} asserts q{k}.check(...)"
        )
        i = end + 1
    assert sum(1 for e in events if e[0] == "start") == k, f"{path.name}: a {{solution-start}} without exercise"


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_imports_its_set(path):
    assert f"gru_course.sets.{path.stem} import" in path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the coursework index
def test_index_lists_every_exercise_once_in_reading_order():
    from gru_course.index import index_markdown, index_rows

    rows = index_rows()
    assert [r[0] for r in rows] == [
        ex.label
        for path in NOTEBOOK_CHAPTERS
        for ex in sorted(_questions(LOADED[path.stem][0]).values(), key=lambda e: e.position)
    ]
    table = index_markdown().split("\n")
    assert table[0] == "| exercise | title | chapter | kind |" and len(table) == len(rows) + 2
    numbers = _website_numbers()
    for line, ex in zip(table[2:], (ex for p in NOTEBOOK_CHAPTERS for ex in LOADED[p.stem][0].SET), strict=True):
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert cells[0] == f"{{ref}}`Exercise {numbers[ex.chapter]}.{ex.position} <{ex.chapter}-ex{ex.position}>`"
        assert cells[1] == ex.title and cells[2] == f"{{doc}}`{ex.chapter}`"
        assert (
            cells[3] == {"numeric": "numeric", "code": "code", "proof": "proof", "choice": "multiple choice"}[ex.kind]
        )


def test_coursework_page_renders_the_generated_index_and_keeps_no_hand_made_one():
    text = (ROOT / "chapters" / "coursework.md").read_text(encoding="utf-8")
    index = text[text.index("## Index of exercises") :]
    assert "index_markdown()" in index and "remove-input" in index
    assert not re.search(r"^\| \{doc\}", text, re.M), "a hand-made index row is left"

"""The exercise framework and every chapter's exercises, checked generically.

- gru_course.exercises: stubs report "not attempted", feedback is specific, nothing raises.
- every module in gru_course.sets (found with pkgutil): the reference answer passes, each
  known wrong answer fails with its intended feedback, untouched answers report "not attempted".
- every chapter in _toc.yml that is a MyST notebook: 3 to 5 exercises in its markup, each with a
  matching solution whose code calls ``assert qN.check(...)``, an answer cell with a stub, and
  as many ``qN`` in its exercise module as exercises in the chapter.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import jupytext
import numpy as np
import pytest
from chapters_index import notebook_chapters
from hypothesis import given
from hypothesis import strategies as st

import gru_course.sets as exercise_sets
from gru_course.exercises import (CORRECT, INCORRECT, KINDS, NOT_ATTEMPTED, Exercise, Incorrect, NotAttempted,
                               Result, call_student, expect_array, expect_callable, expect_choice,
                               expect_expression, expect_number, is_stub, is_stub_function)

ROOT = Path(__file__).resolve().parents[2]
MODULE_NAMES = sorted(m.name for m in pkgutil.iter_modules(exercise_sets.__path__))


# ------------------------------------------------------------------ discovery
def _load(name: str):
    try:
        return importlib.import_module(f"gru_course.sets.{name}"), None
    except Exception as exc:  # reported by test_module_imports, not as a collection error
        return None, exc


def _questions(module) -> dict[int, Exercise]:
    return {int(k[1:]): v for k, v in vars(module).items() if re.fullmatch(r"q\d+", k) and isinstance(v, Exercise)}


LOADED = {name: _load(name) for name in MODULE_NAMES}
EXERCISES = [(f"{name}.q{n}", ex) for name, (mod, _) in LOADED.items() if mod is not None
             for n, ex in sorted(_questions(mod).items())]
EXERCISE_IDS = [i for i, _ in EXERCISES]
EXERCISE_OBJS = [e for _, e in EXERCISES]


def _stub_function(*args, **kwargs):
    ...


def _stub_with_docstring(theta):
    """Return the converted parameters."""
    # your code here
    ...


def _stub_pass(x, y):
    pass


def _stub_returns_ellipsis(x):
    return ...


STUBS = [..., None, _stub_function, _stub_with_docstring, _stub_pass, _stub_returns_ellipsis, (..., ...),
         [..., None]]


def test_there_are_exercise_sets():
    assert "first_run" in MODULE_NAMES


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_imports(name):
    module, error = LOADED[name]
    assert error is None, f"gru_course.sets.{name} does not import: {type(error).__name__}: {error}"


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_defines_q1_to_qN(name):
    module, _ = LOADED[name]
    if module is None:
        pytest.skip("does not import (see test_module_imports)")
    numbers = sorted(_questions(module))
    assert numbers == list(range(1, len(numbers) + 1)), f"{name}: expected q1..qN, found q{numbers}"
    assert 3 <= len(numbers) <= 5, f"{name}: {len(numbers)} exercises; a chapter has 3 to 5"


# ------------------------------------------------------------------ every exercise, generically
@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_exercise_is_complete(ex):
    assert ex.kind in KINDS, f"{ex.name}: kind {ex.kind!r} is not one of {KINDS}"
    assert ex.reference is not None, f"{ex.name}: no reference answer"
    assert ex.wrong_answers is not None and len(ex.wrong_answers()) >= 1, f"{ex.name}: no known wrong answers"
    assert ex.hint_text and ex.solution_text.strip()


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_reference_passes(ex, capsys):
    result = ex.check(ex.reference())
    assert result.status == CORRECT, f"{ex.name}: the reference answer fails: {result.message}"
    assert bool(result)
    assert "✓ Correct" in capsys.readouterr().out


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_wrong_answers_fail_with_intended_feedback(ex):
    for answer, phrase in ex.wrong_answers():
        result = ex.evaluate(answer)
        assert not result, f"{ex.name}: the wrong answer {answer!r} is accepted"
        assert result.status in (INCORRECT, NOT_ATTEMPTED)
        assert phrase in result.message, (f"{ex.name}: for {answer!r} the feedback should mention {phrase!r}; "
                                          f"it says {result.message!r}")


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_wrong_answers_get_distinct_feedback(ex):
    """Feedback is specific: the known wrong answers do not all get one and the same message."""
    messages = {ex.evaluate(a).message for a, _ in ex.wrong_answers()}
    assert len(messages) >= min(2, len(ex.wrong_answers()))


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
@pytest.mark.parametrize("stub", STUBS, ids=["ellipsis", "None", "stub_fn", "stub_docstring", "stub_pass",
                                             "stub_return_ellipsis", "tuple_of_stubs", "list_of_stubs"])
def test_untouched_reports_not_attempted(ex, stub, capsys):
    result = ex.check(stub)
    assert result.status == NOT_ATTEMPTED and not result
    assert "Not attempted" in capsys.readouterr().out


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_check_without_an_answer_reports_not_attempted(ex):
    assert ex.evaluate().status == NOT_ATTEMPTED


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
@pytest.mark.parametrize("odd", [object(), "not an answer", 1j, {"a": 1}, float("nan"), lambda *a: 1 / 0],
                         ids=["object", "text", "complex", "dict", "nan", "raising_fn"])
def test_odd_answers_give_feedback_not_tracebacks(ex, odd):
    result = ex.evaluate(odd)
    assert result.status == INCORRECT and result.message.strip()


@pytest.mark.parametrize("ex", EXERCISE_OBJS, ids=EXERCISE_IDS)
def test_hint_and_solution_print(ex, capsys):
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out
    assert out.count(ex.name) == 2 and "Hint" in out and "Solution" in out


# ------------------------------------------------------------------ the framework itself
def _toy(checker=None, **kw) -> Exercise:
    def default(answer):
        expect_array(answer, 2.0, wrong={"half": (1.0, "that is half of it")})
    return Exercise(name="Toy", checker=checker or default, hint_text="h", solution_text="s", **kw)


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
    assert "off by up to 0.5" in _toy().evaluate(2.5).message


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
    ex = Exercise(name="Toy", checker=lambda a: None, hint_text=["first", "second"], solution_text="s")
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


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.text(min_size=1),
                 st.lists(st.integers(), min_size=1)))
def test_filled_in_answers_are_not_stubs(value):
    assert not is_stub(value)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=6))
def test_expect_array_accepts_itself_and_rejects_a_shift(values):
    x = np.array(values)
    expect_array(x, x.copy())
    shifted = x.copy()
    shifted[0] += 1.0 + 1e-3 * abs(shifted[0])
    with pytest.raises(Incorrect):
        expect_array(shifted, x)


def test_expect_array_explains_shapes():
    with pytest.raises(Incorrect, match="transposed"):
        expect_array(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(Incorrect, match="extra axes"):
        expect_array(np.zeros((1, 3)), np.zeros(3))
    with pytest.raises(Incorrect, match="is a function"):
        expect_array(np.sum, 1.0)
    with pytest.raises(Incorrect, match="NaN"):
        expect_array([np.nan, 1.0], [1.0, 1.0])


def test_expect_number():
    assert expect_number(np.array([[0.25]]), "x") == 0.25
    with pytest.raises(Incorrect, match="single number"):
        expect_number([1.0, 2.0], "x")
    with pytest.raises(Incorrect, match="text"):
        expect_number("0.5", "x")


@pytest.mark.parametrize("spelling", ["b", "B", " (b) ", "b.", "B)"])
def test_expect_choice_accepts_spellings(spelling):
    expect_choice(spelling, "b", options={"a": "no, a", "b": ""})


def test_expect_choice_feedback():
    with pytest.raises(Incorrect, match="no, a"):
        expect_choice("a", "b", options={"a": "no, a", "b": ""})
    with pytest.raises(Incorrect, match="one of the letters"):
        expect_choice("z", "b", options={"a": "no, a", "b": ""})


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
    sigma = lambda t: 1 / (1 + sp.exp(-t))  # noqa: E731
    expect_expression(sigma(-a_real), 1 - sigma(a), [a])  # same function, other assumptions and spelling
    with pytest.raises(Incorrect, match="not odd"):
        expect_expression(-sigma(a), 1 - sigma(a), [a], wrong={"odd": (-sigma(a), "not odd")})
    with pytest.raises(Incorrect, match="uses the symbol"):
        expect_expression(a + sp.Symbol("b"), a, [a])


# ------------------------------------------------------------------ the chapters' markup
NOTEBOOK_CHAPTERS = notebook_chapters()
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
                label = re.search(r"^:label:\s*(\S+)", cell.source[m.end():], re.M)
                events.append(("exercise", label.group(1) if label else None))
            elif kind == "solution-start":
                events.append(("start", m.group(3).strip()))
            else:
                events.append(("end",))
    return events


def test_there_are_notebook_chapters():
    assert any(p.stem == "first_run" for p in NOTEBOOK_CHAPTERS)


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_3_to_5_exercises(path):
    count = sum(1 for e in _events(path) if e[0] == "exercise")
    assert 3 <= count <= 5, f"{path.name}: {count} {{exercise}} directives; a chapter has 3 to 5"
    text = path.read_text(encoding="utf-8")
    assert "\n## Exercises" in text, f"{path.name}: no '## Exercises' section"
    if "\n## Summary" in text:
        assert text.index("\n## Exercises") < text.index("\n## Summary"), "exercises come before the summary"


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_each_exercise_has_answer_cell_and_checked_solution(path):
    events = _events(path)
    exercises = [e[1] for e in events if e[0] == "exercise"]
    if not exercises:
        pytest.skip(f"{path.name} has no exercises yet (see test_chapter_has_3_to_5_exercises)")
    assert all(exercises), f"{path.name}: every {{exercise}} needs a :label:"
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
        assert any(f"q{k}.check(" in src and "..." in src for src in answer_cells), \
            f"{path.name}: exercise {k} ({label}) needs an answer cell with a ... stub calling q{k}.check(...)"
        assert j < len(events) and events[j] == ("start", label), \
            f"{path.name}: exercise {k} ({label}) is not followed by {{solution-start}} {label}"
        end = next((m for m in range(j + 1, len(events)) if events[m][0] in ("end", "exercise", "start")), None)
        assert end is not None and events[end] == ("end",), f"{path.name}: solution {label} has no {{solution-end}}"
        code = [events[m][1] for m in range(j + 1, end)]
        assert code, f"{path.name}: solution {label} has no code cell"
        for src in code:
            assert re.search(rf"assert\s+q{k}\.check\(", src), \
                f"{path.name}: a solution code cell of exercise {k} does not call assert q{k}.check(...):\n{src}"
        i = end + 1
    assert sum(1 for e in events if e[0] == "start") == k, f"{path.name}: a {{solution-start}} without exercise"


@pytest.mark.parametrize("path", NOTEBOOK_CHAPTERS, ids=lambda p: p.stem)
def test_chapter_and_its_exercise_module_agree(path):
    count = sum(1 for e in _events(path) if e[0] == "exercise")
    if not count:
        pytest.skip(f"{path.name} has no exercises yet")
    module, error = LOADED.get(path.stem, (None, None))
    assert module is not None, f"no importable gru_course/sets/{path.stem}.py ({error})"
    assert len(_questions(module)) == count, f"{path.name}: {count} exercises but q1..q{len(_questions(module))}"
    assert f"gru_course.sets.{path.stem} import" in path.read_text(encoding="utf-8")


def test_coursework_index_lists_every_exercise():
    """chapters/coursework.md's index names every exercise of every chapter with its check qN."""
    index = (ROOT / "chapters" / "coursework.md").read_text(encoding="utf-8")
    rows = [line for line in index.split("\n") if line.startswith("|")]
    missing = []
    for path in NOTEBOOK_CHAPTERS:
        titles = re.findall(r"^(?:`{3,}|:{3,})\{exercise\}[ \t]*(.*)$", path.read_text(encoding="utf-8"), re.M)
        for k, title in enumerate(titles, start=1):
            if not any(f"`q{k}`" in row and f"| {title.strip()} |" in row for row in rows):
                missing.append(f"{path.stem} q{k}: {title.strip()}")
    assert not missing, f"add these to the index in chapters/coursework.md: {missing}"

"""Points, minutes and objectives of every exercise (``ExerciseSet.plan``), which the instructor's guide
and the graded mode read."""

from __future__ import annotations

import pytest

from gru_course.exercises import ExerciseSet
from gru_course.index import exercise_sets, exercises

EXERCISES = exercises()


@pytest.mark.parametrize("ex", EXERCISES, ids=[e.name for e in EXERCISES])
def test_every_exercise_is_planned(ex):
    assert isinstance(ex.points, int) and 1 <= ex.points <= 10, ex.points
    assert isinstance(ex.minutes, int) and 1 <= ex.minutes <= 60, ex.minutes
    assert ex.objective and ex.objective[0].islower() and not ex.objective.endswith("."), ex.objective


def test_objectives_are_distinct_and_each_chapter_has_points():
    objectives = [e.objective for e in EXERCISES]
    assert len(set(objectives)) == len(objectives)
    for s in exercise_sets():
        assert sum(e.points for e in s) >= len(s)


def _set() -> tuple[ExerciseSet, object, object]:
    s = ExerciseSet("nowhere")
    a = s.numeric("A", expected=lambda: 1.0, names=("a",), hint="h", solution="s")
    b = s.choice("B", options={"a": ("x", ""), "b": ("y", "no")}, correct="a", hint="h", solution="s")
    return s, a, b


def test_plan_sets_the_fields():
    s, a, b = _set()
    s.plan({a: (2, 10, "do a"), b: (1, 5, " do b ")})
    assert (a.points, a.minutes, a.objective) == (2, 10, "do a")
    assert (b.points, b.minutes, b.objective) == (1, 5, "do b")


@pytest.mark.parametrize(
    ("row", "error", "phrase"),
    [
        ((0, 10, "x"), ValueError, "points of Exercise 1 must be a positive int; got 0"),
        ((True, 10, "x"), ValueError, "points"),
        ((2, 2.5, "x"), ValueError, "minutes of Exercise 1 must be a positive int; got 2.5"),
        ((2, 10, " "), ValueError, "objective"),
        ((2, 10), TypeError, "must be (points, minutes, objective)"),
    ],
)
def test_plan_rejects_bad_rows(row, error, phrase):
    s, a, b = _set()
    with pytest.raises(error, match=phrase.replace("(", r"\(").replace(")", r"\)")):
        s.plan({a: row, b: (1, 5, "b")})


def test_plan_must_name_every_exercise_of_its_set_only():
    s, a, b = _set()
    _other, c, _ = _set()
    with pytest.raises(ValueError, match=r"missing \['Exercise 2'\]"):
        s.plan({a: (1, 1, "a")})
    with pytest.raises(ValueError, match="not in this set"):
        s.plan({a: (1, 1, "a"), b: (1, 1, "b"), c: (1, 1, "c")})
    with pytest.raises(TypeError, match="mapping"):
        s.plan([(a, 1, 1, "a")])

"""The instructor's guide's tables, generated from the exercise sets (``chapters/instructors.md``).

Every number comes from the sets: each exercise's ``points``, ``minutes`` and ``objective`` (given
by :meth:`gru_course.exercises.ExerciseSet.plan`), the chapters in the book's order. Nothing here is
typed twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from gru_course.exercises import KINDS, ExerciseSet
from gru_course.index import exercise_sets


@dataclass(frozen=True)
class Session:
    """One class meeting of the suggested plan: consecutive chapters and their exercises."""

    number: int
    chapters: tuple[str, ...]
    exercises: int
    points: int
    minutes: int


#: Points by kind of exercise: the weight of the work, the same everywhere in the book.
POINTS_BY_KIND = {"choice": 1, "numeric": 2, "code": 3, "proof": 3}


def nbgitpuller_link(hub: str, repo: str, notebook: str, branch: str = "main") -> str:
    """The link that makes a JupyterHub pull ``repo`` into a student's home and open ``notebook`` in JupyterLab.

    ``hub`` is the hub's address (``https://hub.example.edu``), ``repo`` the git repository's
    (``https://github.com/course/gru-notebooks``), ``notebook`` the path inside it. nbgitpuller
    clones into a folder named after the repository, so the path JupyterLab opens starts with it.
    """
    for name, value in (("hub", hub), ("repo", repo), ("notebook", notebook), ("branch", branch)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"nbgitpuller_link: {name} must be a non-empty str; got {value!r}")
    if not hub.startswith(("https://", "http://")) or not repo.startswith(("https://", "http://")):
        raise ValueError(f"nbgitpuller_link: hub and repo must be http(s) addresses; got {hub!r}, {repo!r}")
    folder = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    urlpath = f"lab/tree/{folder}/{notebook.lstrip('/')}?autodecode"
    return (
        f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
        f"&branch={quote(branch, safe='')}&urlpath={quote(urlpath, safe='')}"
    )


def totals() -> dict[str, int]:
    """``{"exercises", "points", "minutes", "chapters"}`` over the whole book."""
    sets = [s for s in exercise_sets() if len(s)]
    exercises = [ex for s in sets for ex in s]
    return {
        "chapters": len(sets),
        "exercises": len(exercises),
        "points": sum(ex.points for ex in exercises),
        "minutes": sum(ex.minutes for ex in exercises),
    }


def _minutes(s: ExerciseSet) -> int:
    return sum(ex.minutes for ex in s)


def split_evenly(weights: list[int], parts: int) -> list[int]:
    """Cut ``weights`` (in order) into ``parts`` non-empty consecutive runs with the smallest largest sum.

    Returns the run lengths. Exact (dynamic programming over the cut points); ``parts`` is capped
    at ``len(weights)``.
    """
    if not isinstance(parts, int) or isinstance(parts, bool) or parts < 1:
        raise ValueError(f"parts must be a positive int; got {parts!r}")
    if not weights:
        raise ValueError("weights must not be empty")
    n, parts = len(weights), min(parts, len(weights))
    prefix = [0]
    for w in weights:
        prefix.append(prefix[-1] + w)
    inf = float("inf")
    # best[k][i]: the smallest largest run sum when the first i weights make k runs
    best = [[inf] * (n + 1) for _ in range(parts + 1)]
    cut = [[0] * (n + 1) for _ in range(parts + 1)]
    best[0][0] = 0
    for k in range(1, parts + 1):
        for i in range(k, n + 1):
            for j in range(k - 1, i):
                cost = max(best[k - 1][j], prefix[i] - prefix[j])
                if cost < best[k][i]:
                    best[k][i], cut[k][i] = cost, j
    lengths, i = [], n
    for k in range(parts, 0, -1):
        j = cut[k][i]
        lengths.append(i - j)
        i = j
    return lengths[::-1]


def plan(sessions: int = 6) -> list[Session]:
    """The chapters with exercises cut into ``sessions`` consecutive meetings of even exercise time."""
    sets = [s for s in exercise_sets() if len(s)]
    out, start = [], 0
    for number, length in enumerate(split_evenly([_minutes(s) for s in sets], sessions), start=1):
        group = sets[start : start + length]
        start += length
        out.append(
            Session(
                number=number,
                chapters=tuple(s.chapter for s in group),
                exercises=sum(len(s) for s in group),
                points=sum(ex.points for s in group for ex in s),
                minutes=sum(_minutes(s) for s in group),
            )
        )
    return out


def plan_markdown(sessions: int = 6, per_week: int = 2) -> str:
    """The suggested plan as a MyST table: session, week, chapters, exercises, points, minutes."""
    lines = ["| session | week | chapters | exercises | points | exercise time |", "|---|---|---|---|---|---|"]
    for s in plan(sessions):
        chapters = ", ".join(f"{{doc}}`{c}`" for c in s.chapters)
        week = (s.number - 1) // per_week + 1
        lines.append(f"| {s.number} | {week} | {chapters} | {s.exercises} | {s.points} | {s.minutes} min |")
    return "\n".join(lines)


def objectives_markdown() -> str:
    """Per chapter: a heading linking the chapter, and a table of its exercises with what each practises."""
    blocks = []
    for s in exercise_sets():
        if not len(s):
            continue
        points, minutes = sum(ex.points for ex in s), _minutes(s)
        rows = [
            f"**{{doc}}`{s.chapter}`**: {len(s)} exercises, {points} points, about {minutes} minutes of work.",
            "",
            "| exercise | students can … | kind | points | minutes |",
            "|---|---|---|---|---|",
        ]
        for ex in s:
            rows.append(
                f"| {{ref}}`{ex.name} <{ex.label}>` | {ex.objective} | {KINDS[ex.kind]} | {ex.points} | {ex.minutes} |"
            )
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)

"""The rules of the method, each written once.

Every part of olap that needs one of these asks here: the checks of ``olap validate``,
the figures of the impact table, the grids, the write commands of the command line and
of the web. Objects are read by attribute only (a pydantic model, a brief or a summary
will do), so this module imports nothing heavy: ``olap need add`` uses it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

#: the three actors of the method, one column each in the grid (the « I » of each)
ACTORS: tuple[str, ...] = ("entreprise", "formateur", "alternant")
#: the actor whose mark makes a need the company's own (principle 1)
COMPANY = "entreprise"
#: what people type for an actor, besides its own name
ACTOR_ALIASES: dict[str, str] = {
    "e": "entreprise",
    "f": "formateur",
    "a": "alternant",
    "company": "entreprise",
    "trainer": "formateur",
    "learner": "alternant",
}
#: A = autonomous, EC = being acquired, R = can be a resource for peers
LEVELS: tuple[str, ...] = ("A", "EC", "R")
#: the levels of a learner who can help a peer on an activity (Annexe 6, synoptic table)
HELPS: tuple[str, ...] = ("A", "R")
#: the practice (Annexe 7 column) of a need that names none
DEFAULT_PRACTICE = "qualite"
#: how many days after it is identified an imminent need is due at most, by default
DEFAULT_IMMINENCE_DAYS = 21
#: an open need due within this many days is « due soon »
SOON_DAYS = 7
#: how a meeting with the company was held, and with whom (the charter's meetings)
MEETING_KINDS: tuple[str, ...] = ("visite", "téléphone", "visio")
MEETING_WITH: tuple[str, ...] = ("tuteur", "employeur")
#: the charter: at least two meetings with the employer in any twelve months...
MEETINGS_A_YEAR = 2
#: the days a date of the files may name: a work-study follow-up, with room on both sides
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
YEAR = dt.timedelta(days=365)
ONE_DAY = dt.timedelta(days=1)
#: ...the first within two months of the start: no warning before
MEETING_GRACE = dt.timedelta(days=61)


class NeedLike(Protocol):
    # read-only: a frozen record (olapcli.core.records) is one too
    @property
    def id(self) -> str: ...
    @property
    def practice(self) -> str: ...
    @property
    def identified(self) -> dt.date: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def marked_by(self) -> Sequence[str]: ...


def parse_actors(text: str) -> list[str]:
    """``"entreprise, a"`` → ``["entreprise", "alternant"]`` (each once, in order);
    ``ValueError`` when an actor is unknown or none is given."""
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    actors = [ACTOR_ALIASES.get(w, w) for w in words]
    if not actors or any(a not in ACTORS for a in actors):
        raise ValueError(text)
    return list(dict.fromkeys(actors))


def marked_by_company(marked_by: Iterable[str]) -> bool:
    """Principle 1: the need is the company's real need when the company marked it."""
    return COMPANY in marked_by


def lead_days(identified: dt.date, due: dt.date) -> int:
    """Days from when a need was identified to when it is due."""
    return (due - identified).days


def due_before_identified(identified: dt.date, due: dt.date) -> bool:
    """A need cannot be due before it was identified (anticipation)."""
    return due < identified


def identified_in_future(identified: dt.date, today: dt.date) -> bool:
    """A need is recorded once the company has expressed it: not identified after today."""
    return identified > today


def imminent(identified: dt.date, due: dt.date, imminence_days: int) -> bool:
    """Principle 1: due soon after it was identified, within *imminence_days*
    (``policy.imminence_days`` of cohort.yaml)."""
    return 0 <= lead_days(identified, due) <= imminence_days


def anticipated(
    need: NeedLike,
    practices: set[str],
    imminence_days: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> bool:
    """The count rule but the company's mark (:func:`counted`): its practice is one of
    the cohort's *practices*; it was identified strictly before it was due (a need known
    on its due day was not anticipated), within the imminence window; and, when a period
    is asked (``--from``/``--to``), it was identified in it."""
    if need.practice not in practices:
        return False
    if not 1 <= lead_days(need.identified, need.due) <= imminence_days:
        return False
    if start is not None and need.identified < start:
        return False
    return end is None or need.identified <= end


def counted(
    need: NeedLike,
    practices: set[str],
    imminence_days: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> bool:
    """The count rule of the impact table, written once (docs/metrics.md): *need* counts
    as an anticipated imminent need when the company is one of its actors (it marked or
    confirmed it: principle 1, a real need of the company) and it is
    :func:`anticipated`. A duplicate is a validate error, and figures are made from
    valid data only: no duplicate is ever counted."""
    return marked_by_company(need.marked_by) and anticipated(
        need, practices, imminence_days, start, end
    )


def same_detail(text: str) -> str:
    """A need's detail as two records of one need compare it: case, accents and spaces
    left aside (« Crème  citron » is « creme citron »)."""
    import unicodedata

    bare = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def need_identity(need: Any) -> tuple[str, dt.date, dt.date, str]:
    """What makes two records one need: the same activity (or competence of the same
    practice's grid, for a need that names no activity), dates and detail. A duplicate
    would count the need twice in the impact table."""
    return (_about(need.activity, need), need.identified, need.due, same_detail(need.detail))


def _about(activity: Any, need: Any) -> str:
    """The sub-activity, else ``practice/competence``: what a need is about."""
    if activity is not None:
        return str(activity)
    get = need.get if isinstance(need, dict) else lambda k: getattr(need, k)
    return f"{get('practice') or DEFAULT_PRACTICE}/{get('competence')}"


def repeated_need(data: Any, need: Any) -> str | None:
    """The id of a need of the learner file *data* (as read from YAML) that *need*
    repeats (see :func:`need_identity`), if any: a write refuses it before validate has to."""
    same = need_identity(need)
    needs = data.get("needs") if isinstance(data, dict) else None
    for n in needs if isinstance(needs, list) else []:
        if not isinstance(n, dict):
            continue
        try:
            other = (
                _about(n.get("activity"), n),
                dt.date.fromisoformat(str(n.get("identified"))),
                dt.date.fromisoformat(str(n.get("due"))),
                same_detail(str(n.get("detail"))),
            )
        except ValueError:
            continue
        if other == same:
            return str(n.get("id"))
    return None


def within(day: dt.date, start: dt.date, end: dt.date) -> bool:
    """Is *day* in the period from *start* to *end*, both included?"""
    return start <= day <= end


Span = tuple[str, dt.date, dt.date]


def period_spans(periods: Sequence[Span], first: dt.date | None = None) -> list[Span]:
    """Each company period (id, start, end) with the days since the previous one ended:
    a need identified between two periods is the preparation of the next one, so it
    belongs to the following period; before the first, from *first* (the cohort's
    start) on. After the last period, a need belongs to none."""
    spans: list[Span] = []
    before: dt.date | None = None
    for pid, start, end in sorted(periods, key=lambda p: (p[1], p[2])):
        begin = start if before is None else min(start, before + ONE_DAY)
        if before is None and first is not None:
            begin = min(begin, first)
        spans.append((pid, begin, end))
        before = max(end, before) if before is not None else end
    return spans


def period_of(identified: dt.date, spans: Sequence[Span]) -> str | None:
    """The id of the span (:func:`period_spans`) a need identified on *identified*
    belongs to: each need to one period at most, the lint and the figures alike."""
    for pid, start, end in spans:
        if start <= identified <= end:
            return pid
    return None


def period_exempt(
    followed: tuple[dt.date, dt.date, bool] | None, start: dt.date, end: dt.date
) -> bool:
    """Is a learner exempt from a new need in the company period *start* – *end*: is the
    period outside the days the centre follows them in a company (:func:`follow_up`:
    None when not in contract or without a company; from the contract's start, up to
    the day before a rupture or a drop-out)?"""
    return followed is None or end < followed[0] or start > followed[1]


def activities(referentiel: Any) -> Iterator[Any]:
    """Every sub-activity of a référentiel, in its order."""
    for group in referentiel.groups:
        yield from group.activities


def subject_titles(referentiel: Any, cohort: Any = None) -> dict[str, str]:
    """What a need can be about -> its title: each sub-activity by its id, each
    competence of a practice's grid by ``practice/competence`` (see :func:`need_subject`)."""
    titles = activity_titles(referentiel) if referentiel else {}
    for practice in cohort.practices if cohort else ():
        for c in practice.grid:
            titles[f"{practice.id}/{c.id}"] = c.label
    return titles


def need_subject(need: Any, titles: Mapping[str, str]) -> str:
    """« 3.2 Title » for a need on a sub-activity; the competence's title for a need of a
    practice's grid that names no sub-activity (*titles*: :func:`subject_titles`)."""
    if need.activity is not None:
        return f"{need.activity} {titles.get(need.activity, '')}".rstrip()
    return subject_title(need, titles)


def subject_title(need: Any, titles: Mapping[str, str]) -> str:
    """The title of what *need* is about: its sub-activity's, else its competence's."""
    if need.activity is not None:
        return titles.get(need.activity, need.activity)
    competence = need.competence or ""
    return titles.get(f"{need.practice}/{competence}", competence)


def activity_ids(referentiel: Any) -> set[str]:
    """The ids of every sub-activity of a référentiel."""
    return {a.id for a in activities(referentiel)}


def activity_titles(referentiel: Any) -> dict[str, str]:
    """Sub-activity id → its title."""
    return {a.id: a.title for a in activities(referentiel)}


def answered(evaluations: Iterable[Any]) -> set[str]:
    """The ids of the needs an evaluation answers: a need is open until then."""
    return {e.need for e in evaluations if e.need}


def company_returns(evaluations: Iterable[Any]) -> dict[str, Any]:
    """Need id -> the latest evaluation by the company answering it: the return to the
    company a practice's grid asks for (Annexes 8-9)."""
    found: dict[str, Any] = {}
    for e in sorted(evaluations, key=lambda e: (e.date, e.id)):
        if e.need and e.by == "entreprise":
            found[e.need] = e
    return found


def need_state(need: Any, answered_ids: set[str], today: dt.date) -> str:
    """``open``, ``soon`` (due within :data:`SOON_DAYS`), ``late`` (overdue), or ``""``
    once an evaluation answers it."""
    if need.id in answered_ids:
        return ""
    if need.due < today:
        return "late"
    if need.due <= today + dt.timedelta(days=SOON_DAYS):
        return "soon"
    return "open"


def proposed_level(met: int, required: int) -> str:
    """The level an evaluation sheet proposes: A when at least *required* of its criteria
    are met, EC (being acquired) otherwise. R is never proposed: it is a judgement."""
    return "A" if met >= required else "EC"


def follow_up(
    cohort_start: dt.date, cohort_end: dt.date, learner: Any
) -> tuple[dt.date, dt.date, bool] | None:
    """The days the centre follows *learner* (a learner record) in their company: see
    :func:`follow_span`; None for a learner not in contract or without a company."""
    if learner.status != "contract" or learner.company is None:
        return None
    o = learner.outcomes
    start = learner.contract.start if learner.contract is not None else None
    return follow_span(cohort_start, cohort_end, start, (o.rupture, o.dropout))


def follow_span(
    cohort_start: dt.date,
    cohort_end: dt.date,
    contract_start: dt.date | None,
    stops: Iterable[Any],
) -> tuple[dt.date, dt.date, bool] | None:
    """The days of a follow-up within the cohort's dates: from the later of the cohort's
    and the contract's start, up to the cohort's end or the day before the first of the
    *stops* (a rupture's or a drop-out's date; False or None: none), and whether one of
    these stopped it; None when it never began."""
    start = max(cohort_start, contract_start) if contract_start else cohort_start
    end, stopped = cohort_end, False
    for stop in stops:
        if isinstance(stop, dt.date) and stop - ONE_DAY < end:
            end, stopped = stop - ONE_DAY, True
    return (start, end, stopped) if start <= end else None


def meetings_between(dates: Iterable[dt.date], start: dt.date, end: dt.date) -> int:
    """How many of the meeting *dates* fall from *start* to *end* included."""
    return sum(start <= d <= end for d in dates)


def meetings_short(
    dates: Iterable[dt.date], start: dt.date, end: dt.date, stopped: bool = False
) -> list[tuple[dt.date, dt.date | None]]:
    """The spans of days (first, last excluded; None: every day after) on which fewer than
    :data:`MEETINGS_A_YEAR` of the meetings held from *start* to *end* fall in the twelve
    months up to the day, counted from two months after *start* (the charter's first
    meeting is due then). After *end*, what held on *end* holds on (the cohort's record
    stays short), unless the follow-up *stopped* (a rupture, a drop-out): then nothing."""
    held = sorted(d for d in dates if start <= d <= end)
    first = start + MEETING_GRACE
    if first > end:
        return []
    points = sorted(
        {first}
        | {d for d in held if first < d <= end}
        | {d + YEAR for d in held if first < d + YEAR <= end}
    )
    after = end + ONE_DAY if stopped else None
    spans: list[tuple[dt.date, dt.date | None]] = []
    for i, day in enumerate(points):
        if meetings_between(held, day - YEAR + ONE_DAY, day) >= MEETINGS_A_YEAR:
            continue
        until = points[i + 1] if i + 1 < len(points) else after
        if spans and spans[-1][1] == day:
            spans[-1] = (spans[-1][0], until)
        else:
            spans.append((day, until))
    return spans


def meetings_met(
    dates: Iterable[dt.date], span: tuple[dt.date, dt.date, bool] | None, today: dt.date
) -> bool | None:
    """Are the charter's meetings met on *today* (or on the last day of the follow-up
    *span*, when it is over)? None when they are not asked (no follow-up)."""
    if span is None:
        return None
    start, end, _stopped = span
    day = min(today, end)
    return not any(
        a <= day and (b is None or day < b) for a, b in meetings_short(dates, start, end)
    )

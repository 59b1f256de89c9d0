"""Dates as people type them (issue 15, point 4): every form the prompts and the options
accept, counted from a given day; the rest refused."""

from __future__ import annotations

import datetime as dt

import pytest

from olapcli.core.dates import parse_date

WEDNESDAY = dt.date(2026, 12, 2)


def ahead(base: dt.date, weekday: int) -> dt.date:
    """The next *weekday* strictly after *base* (a reference written apart)."""
    day = base + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-15", dt.date(2026, 12, 15)),
        ("15/12/2026", dt.date(2026, 12, 15)),
        ("15/12", dt.date(2026, 12, 15)),
        ("15 décembre", dt.date(2026, 12, 15)),
        ("15 DECEMBRE 2027", dt.date(2027, 12, 15)),
        ("1er mars", dt.date(2026, 3, 1)),
        ("aujourd'hui", WEDNESDAY),
        ("Aujourd’hui", WEDNESDAY),  # a typographic apostrophe
        ("demain", WEDNESDAY + dt.timedelta(days=1)),
        ("après-demain", WEDNESDAY + dt.timedelta(days=2)),
        ("apres demain", WEDNESDAY + dt.timedelta(days=2)),
        ("hier", WEDNESDAY - dt.timedelta(days=1)),
        ("vendredi", ahead(WEDNESDAY, 4)),
        ("vendredi prochain", ahead(WEDNESDAY, 4)),
        ("Mercredi", ahead(WEDNESDAY, 2)),  # today is Wednesday: the next one
        ("lundi prochain", ahead(WEDNESDAY, 0)),
        ("dans 3 jours", WEDNESDAY + dt.timedelta(days=3)),
        ("dans 1 jour", WEDNESDAY + dt.timedelta(days=1)),
        ("dans 2 semaines", WEDNESDAY + dt.timedelta(days=14)),
        ("+3j", WEDNESDAY + dt.timedelta(days=3)),
        ("-2j", WEDNESDAY - dt.timedelta(days=2)),
        ("+1s", WEDNESDAY + dt.timedelta(days=7)),
    ],
)
def test_each_form(text, expected):
    assert parse_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    "text",
    ["31 février", "15 brumaire", "vendredi dernier", "dans trois jours", "32/12", "", "+j",
     "dans 99999 jours", "0 mars", "2026-13-01", "prochain"],
)  # fmt: skip
def test_what_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text, WEDNESDAY)

"""Dates as trainers type them: ISO, 21/11/2026, aujourd'hui, demain, lundi, +3j.

Pure: the day taken as today is given by the caller (``olapcli.io.clock.today``)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from olapcli.core import rules

_WEEKDAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NAMED = {
    "aujourdhui": 0,
    "today": 0,
    "demain": 1,
    "tomorrow": 1,
    "apresdemain": 2,
    "hier": -1,
    "yesterday": -1,
}
_RELATIVE = re.compile(r"^([+-])\s*(\d{1,4})\s*([jdsw]?)$")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if c.isalnum() or c in "+-/")


def parse_date(text: str, base: dt.date) -> dt.date:
    """A date from what a trainer typed; ``ValueError`` if it is not one, or is out of
    the years olap knows (:data:`olapcli.core.rules.FIRST_DAY` … ``LAST_DAY``).

    Relative forms count from *base* (today); a weekday name means the next such day.
    """
    day = _parse(text, base)
    if not rules.FIRST_DAY <= day <= rules.LAST_DAY:
        raise ValueError(text)
    return day


def _parse(text: str, base: dt.date) -> dt.date:
    raw = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return dt.date.fromisoformat(raw)
    match = _FRENCH.match(raw)
    if match:
        day, month, year = match.groups()
        return dt.date(int(year) if year else base.year, int(month), int(day))
    word = _fold(raw)
    if word in _NAMED:
        return base + dt.timedelta(days=_NAMED[word])
    if word in _WEEKDAYS:
        ahead = (_WEEKDAYS[word] - base.weekday() - 1) % 7 + 1
        return base + dt.timedelta(days=ahead)
    match = _RELATIVE.match(raw.lower())
    if match:
        sign, count, unit = match.groups()
        days = int(count) * (7 if unit in ("s", "w") else 1)
        try:
            return base + dt.timedelta(days=days if sign == "+" else -days)
        except OverflowError:  # « +99999999j »: no such day
            raise ValueError(text) from None
    raise ValueError(text)

"""Dates as trainers type them: ISO, 21/11/2026, 15/12, 15 décembre, aujourd'hui, demain,
après-demain, lundi, vendredi prochain, dans 3 jours, +3j.

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
    "apres-demain": 2,
    "hier": -1,
    "yesterday": -1,
}
_RELATIVE = re.compile(r"^([+-])\s*(\d{1,4})\s*([jdsw]?)$")
#: « dans 3 jours », « dans 2 semaines », « in 3 days »
_IN = re.compile(r"^(?:dans|in)\s+(\d{1,4})\s*(jours?|j|semaines?|s|days?|d|weeks?|w)$")
#: « vendredi prochain », « next friday »: the next such day, as the weekday alone
_NEXT = re.compile(r"^(?:next\s+)?([a-z]+)(?:\s+(?:prochaine?|next))?$")
_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
#: « 15 décembre », « 1er mars 2027 »
_NAMED_DAY = re.compile(r"^(\d{1,2})(?:er)?\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_FRENCH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if c.isalnum() or c in "+-/")


def _words(text: str) -> str:
    """*text* lower-case, without accents, its words separated by one space."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    bare = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(bare.replace("'", " ").split())


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
    words = _words(raw)
    match = _NEXT.match(words)
    if match and match.group(1) in _WEEKDAYS:
        ahead = (_WEEKDAYS[match.group(1)] - base.weekday() - 1) % 7 + 1
        return base + dt.timedelta(days=ahead)
    match = _IN.match(words)
    if match:
        days, per = int(match.group(1)), match.group(2)
        return base + dt.timedelta(days=days * (7 if per[0] in "sw" else 1))
    match = _NAMED_DAY.match(words)
    if match and match.group(2) in _MONTHS:
        number, name, year = match.groups()
        return dt.date(int(year) if year else base.year, _MONTHS[name], int(number))
    match = _RELATIVE.match(raw.lower())
    if match:
        sign, count, unit = match.groups()
        days = int(count) * (7 if unit in ("s", "w") else 1)
        try:
            return base + dt.timedelta(days=days if sign == "+" else -days)
        except OverflowError:  # « +99999999j »: no such day
            raise ValueError(text) from None
    raise ValueError(text)

"""Numbers and dates as the reader's language writes them: one place for the report, the
terminal and the templates (as Jinja filters).

French by default, English with ``--lang en`` (:func:`olapcli.i18n.language`), through
Babel's CLDR data: in French « 10 000 » (a narrow no-break space between thousands),
« 0,27 », « 64 % » (CLDR puts a no-break space before the sign), « 12 novembre 2026 »;
in English « 10,000 », « 0.27 », « 64% », « November 12, 2026 ». The spaces never break
at the end of a line.

Babel is imported on the first number shown (a few hundredths of a second, the locale's
data included), never by commands that show none. Each function keeps its answers: a
report of 10,000 learners shows hundreds of thousands of numbers and dates, but few
distinct ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

from olapcli.core.derive.quality import Days, Share
from olapcli.i18n import language

#: shown for a value that is not known (a table's empty cell)
UNKNOWN = "—"


def number(value: Any) -> str:
    """A count, its thousands apart (« 10 000 » in French, « 10,000 » in English)."""
    return _number(int(value), language())


def decimal(value: Any, digits: int = 2) -> str:
    """A number with at most *digits* decimals, as few as it needs (« 0,27 », « 12 »)."""
    return _decimal(float(value), digits, language())


def fixed(value: Any, digits: int = 2) -> str:
    """A number with exactly *digits* decimals (« 0,50 », « -0,86 »): a statistic's
    precision is said by its digits; « -0,00 » is written « 0,00 »."""
    value = round(float(value), digits) + 0.0  # -0.0 + 0.0 is 0.0
    return _decimal_fixed(value, digits, language())


def percent(value: Any, digits: int = 0) -> str:
    """A share (0.64) as a percentage (« 64 % » in French, « 64% » in English)."""
    return _percent(float(value), digits, language())


def date(value: Any, style: str = "long") -> str:
    """A date (or an ISO date's text) in words (« 12 novembre 2026 », « November 12,
    2026 »); *style* is CLDR's: ``long``, ``medium`` or ``short``."""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if isinstance(day, dt.datetime):
        day = day.date()
    return _date(day, style, language())


def cell(value: Any) -> str:
    """Any value of a table, as text: unknown (None) « — », a share as a percentage, a
    number of days with one decimal at most, other numbers and dates as above, text as it
    is."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if value is None:
        return UNKNOWN
    if kind is int:
        # most cells of a table are small counts: written the same in every language
        return _SMALL[value] if 0 <= value < 1000 else number(value)
    if kind is Share:
        return percent(value)
    if kind is Days:
        return decimal(value, 1)
    if kind is float:
        return decimal(value) if math.isfinite(value) else UNKNOWN
    if isinstance(value, dt.date):
        return date(value)
    return str(value)


_SMALL = [str(i) for i in range(1000)]


@functools.lru_cache(maxsize=4096)
def _number(value: int, lang: str) -> str:
    if -1000 < value < 1000:
        return str(value)  # no separator to place: spares Babel the most common case
    from babel.numbers import format_decimal

    return format_decimal(value, locale=lang)


@functools.lru_cache(maxsize=4096)
def _decimal(value: float, digits: int, lang: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, format=f"#,##0.{'#' * digits}", locale=lang)


@functools.lru_cache(maxsize=4096)
def _decimal_fixed(value: float, digits: int, lang: str) -> str:
    from babel.numbers import format_decimal

    shape = f"#,##0.{'0' * digits}" if digits else "#,##0"
    return format_decimal(value, format=shape, locale=lang)


@functools.lru_cache(maxsize=4096)
def _percent(value: float, digits: int, lang: str) -> str:
    from babel.numbers import format_percent

    # the language's own pattern (« #,##0 % »), with the decimals asked
    pattern = _percent_pattern(lang)
    if digits:
        pattern = pattern.replace("0", "0." + "#" * digits, 1)
    return format_percent(value, format=pattern, locale=lang)


@functools.lru_cache(maxsize=8)
def _percent_pattern(lang: str) -> str:
    from babel import Locale

    return str(Locale.parse(lang).percent_formats[None].pattern)


@functools.lru_cache(maxsize=4096)
def _date(day: dt.date, style: str, lang: str) -> str:
    from babel.dates import format_date

    return format_date(day, style, locale=lang)


def filters() -> dict[str, Any]:
    """The Jinja filters of this module."""
    return {"number": number, "decimal": decimal, "percent": percent, "date": date}

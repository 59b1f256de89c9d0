"""The value types of the cohort's files (dates, ids, texts, links) and their checks,
shared by the models of :mod:`olapcli.core.model`. No I/O here."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

from olapcli.core import links, pipeline, rules

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _to_date(value: Any) -> Any:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string, nothing else, within
    :data:`olapcli.core.rules.FIRST_DAY` … :data:`~olapcli.core.rules.LAST_DAY` (a date
    far out, 9999-12-31, would overflow the day arithmetic of the checks)."""
    if isinstance(value, dt.datetime):
        raise ValueError("date_with_time")
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.date):
        if not rules.FIRST_DAY <= value <= rules.LAST_DAY:
            raise ValueError("date_out_of_range")
        return value
    raise ValueError("date_invalid")


def unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("duplicate_value")
    return values


def relative_path(value: str) -> str:
    """A path inside the repository: relative, forward slashes, no ``..``."""
    parts = value.split("/")
    if not value or value.startswith("/") or "\\" in value or ":" in value or ".." in parts:
        raise ValueError("path_outside")
    return value


def one_line_link(value: str) -> str:
    """A web link holds no control character (line break, tab, escape…)."""
    if links.has_control(value):
        raise ValueError("link_control")
    return value


def resource_text(value: str) -> str:
    """A need's resource: a title, or a link held to the rule of links."""
    if links.looks_like_link(value):
        one_line_link(value)
    return value


Date = Annotated[
    dt.date,
    BeforeValidator(_to_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]


def _plain(value: str) -> str:
    if links.hidden(value):
        raise ValueError("text_control")
    return value


#: a text written by a person and shown to others (a need's detail): nothing hidden
PlainText = Annotated[Text, AfterValidator(_plain)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$"), AfterValidator(one_line_link)]
Actor = Literal["entreprise", "formateur", "alternant"]
Level = Literal["A", "EC", "R"]
MeetingKind = Literal["visite", "téléphone", "visio"]
MeetingWith = Literal["tuteur", "employeur"]
StageId = Literal[
    "premier-appel",
    "rappel",
    "visite",
    "stage-propose",
    "stage",
    "contrat-propose",
    "contrat-signe",
    "abandon",
]
FirstContact = Literal["alternant", "cre"]
ACTORS = rules.ACTORS
LEVELS = rules.LEVELS
MEETING_KINDS = rules.MEETING_KINDS
MEETING_WITH = rules.MEETING_WITH


def as_mark(value: Any) -> Any:
    """A step of a need's cycle is written as a date (``applied: 2026-03-02``) or as a
    mapping (``applied: {date: 2026-03-02, by: entreprise}``): the date alone is read as
    the mapping without ``by`` nor ``notes``. A bad date is said at the step's own key."""
    return value if isinstance(value, dict) else {"date": _to_date(value)}


#: the JSON Schema of a step: what :func:`as_mark` accepts
MARK_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {
            "type": "object",
            "properties": {
                "date": {"type": "string", "format": "date"},
                "by": {"enum": list(rules.ACTORS)},
                "notes": {"type": "string"},
            },
            "required": ["date"],
            "additionalProperties": False,
        },
    ]
}
# Literal types must be spelled out for the type checker: they say what rules says
assert get_args(Actor) == ACTORS and get_args(Level) == LEVELS
assert get_args(MeetingKind) == MEETING_KINDS and get_args(MeetingWith) == MEETING_WITH
assert get_args(StageId) == pipeline.STAGES and get_args(FirstContact) == pipeline.FIRST_CONTACT

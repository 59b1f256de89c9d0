"""Personal links (SPEC §9), the pure part: who a link names by default, the state of a
grant on a day, and the signed, expiring token (itsdangerous) that carries a grant id.

The clock is always given (*now*, seconds since the epoch): signing and checking are
the same on every machine and in tests, without waiting.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from olapcli.core.ids import slug
from olapcli.core.model import WHOLE_COHORT, Grant

if TYPE_CHECKING:
    from olapcli.core.model import Cohort

ROLES = ("tuteur", "alternant", "formateur")
State = Literal["valid", "expired", "revoked"]
#: the part of the signature that says what the token is for (another use of the same
#: secret cannot make a link)
SALT = "olap-access-v1"
DEFAULT_DAYS = 90
MAX_DAYS = 400


def cohort_key(cohort: Cohort) -> str:
    """The name of a cohort's signing secret: its formation, centre and start date (the
    same in every clone, readable in the secrets folder)."""
    return (
        f"{slug(cohort.formation.name, cohort.formation.centre or '')}-{cohort.start.isoformat()}"
    )


def state(grant: Grant, today: dt.date) -> State:
    """A grant is revoked, expired (from its ``expires`` day on), or valid."""
    if grant.revoked is not None:
        return "revoked"
    if today >= grant.expires:
        return "expired"
    return "valid"


def lifetime(grant: Grant) -> int:
    """How many seconds a token of *grant* lives after it was signed."""
    return max(0, (grant.expires - grant.created).days) * 86400


def _serializer(secret: str, now: float) -> Any:
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    at = int(now)

    class ClockSigner(TimestampSigner):
        """itsdangerous' signer, on the clock it is given."""

        def get_timestamp(self) -> int:
            return at

    return URLSafeTimedSerializer(secret, salt=SALT, signer=ClockSigner)


def sign(secret: str, grant: Grant, now: float) -> str:
    """The token of *grant*: its id, role and learner, signed at *now*."""
    return str(_serializer(secret, now).dumps([grant.id, grant.role, grant.learner]))


class TokenProblem(Exception):
    """Why a token opens nothing: ``tampered`` (not signed by this cohort's secret, or
    damaged), ``expired``, ``revoked`` or ``unknown`` (no such grant)."""

    def __init__(self, reason: Literal["tampered", "expired", "revoked", "unknown"]) -> None:
        super().__init__(reason)
        self.reason = reason


def payload(secret: str, token: str, now: float) -> tuple[str, str, str]:
    """(grant id, role, learner) the token names, if this secret signed it; else
    :class:`TokenProblem` ``tampered``."""
    from itsdangerous import BadData

    try:
        data = _serializer(secret, now).loads(token)
    except BadData:
        raise TokenProblem("tampered") from None
    if not (isinstance(data, list) and len(data) == 3 and all(isinstance(x, str) for x in data)):
        raise TokenProblem("tampered")
    return data[0], data[1], data[2]


def verify(secret: str, token: str, grants: list[Grant], now: float, today: dt.date) -> Grant:
    """The grant *token* opens at *now* (seconds since the epoch) and *today*, among
    *grants*; else
    :class:`TokenProblem` saying why. A token lives as long as its grant did when it was
    made (itsdangerous' ``max_age``), and never past the grant's ``expires`` day nor after
    it was revoked (access.yaml may be edited to shorten or end a link)."""
    from itsdangerous import SignatureExpired

    grant_id, role, learner = payload(secret, token, now)
    found = [g for g in grants if g.id == grant_id]
    if len(found) != 1 or found[0].role != role or found[0].learner != learner:
        raise TokenProblem("unknown")
    grant = found[0]
    if grant.revoked is not None:
        raise TokenProblem("revoked")
    try:
        _serializer(secret, now).loads(token, max_age=lifetime(grant))
    except SignatureExpired:
        raise TokenProblem("expired") from None
    if state(grant, today) == "expired":
        raise TokenProblem("expired")
    return grant


def covers(grant: Grant, learner_id: str) -> bool:
    """Does *grant* open the page of *learner_id*?"""
    return grant.learner in (WHOLE_COHORT, learner_id)

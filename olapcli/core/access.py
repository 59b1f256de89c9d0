"""Personal links (SPEC §9), the pure part: who a link names by default, the state of a
grant on a day, and the signed, expiring token (itsdangerous) that carries a grant id.

The clock is always given (*now*, seconds since the epoch): signing and checking are
the same on every machine and in tests, without waiting.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from olapcli.core.ids import slug

if TYPE_CHECKING:
    from olapcli.core.model import Cohort, Grant

#: the learner of a grant that opens the whole cohort (the models' ``WHOLE_COHORT``,
#: spelled here so that the e-mail path does not import pydantic)
WHOLE_COHORT = "*"

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
    return secret_name(cohort.formation.name, cohort.formation.centre or "", cohort.start)


def secret_name(formation: str, centre: str, start: dt.date) -> str:
    """:func:`cohort_key` from the plain values of cohort.yaml."""
    return f"{slug(formation, centre)}-{start.isoformat()}"


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
    return sign_ids(secret, grant.id, grant.role, grant.learner, now)


def sign_ids(secret: str, grant_id: str, role: str, learner: str, now: float) -> str:
    """The token of the grant *grant_id* (its *role* and *learner*), signed at *now*."""
    return str(_serializer(secret, now).dumps([grant_id, role, learner]))


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
    """Does *grant* open the page of *learner_id*? The whole cohort only for a trainer's
    link (an access.yaml edited by hand may say otherwise)."""
    if grant.learner == WHOLE_COHORT:
        return grant.role == "formateur"
    return grant.learner == learner_id


def same_person(a: object, b: object) -> bool:
    """Do *a* and *b* name the same person (case and spacing aside)?"""

    def norm(x: object) -> str:
        return " ".join(str(x or "").split()).casefold()

    return bool(norm(a)) and norm(a) == norm(b)


def mail_grant(
    grants: object, role: str, learner_id: str, names: list[str], today: dt.date
) -> dict[str, Any] | None:
    """The grant (plain data of access.yaml) whose link an e-mail may carry to one person:
    of *role*, for *learner_id* (a trainer's: or the whole cohort), naming that person
    (one of *names*: their name, e-mail or, for a trainer, id), neither revoked nor
    expired *today*; the one that lasts longest when there are several; else None.

    The person must match: when the tutor changes in the learner file, the former tutor's
    link is never sent to the new one (a link is a key)."""
    found = []
    for g in grants if isinstance(grants, list) else []:
        if not isinstance(g, dict) or g.get("role") != role:
            continue
        if not all(isinstance(g.get(k), str) for k in ("id", "learner", "person")):
            continue
        wide = role == "formateur" and g["learner"] == WHOLE_COHORT
        if g["learner"] != learner_id and not wide:
            continue
        if not any(same_person(g["person"], n) for n in names):
            continue
        created, expires = g.get("created"), g.get("expires")
        if not (isinstance(created, dt.date) and isinstance(expires, dt.date)):
            continue
        if g.get("revoked") is not None or today >= expires:
            continue
        found.append(g)
    return max(found, key=lambda g: (g["expires"], g["created"]), default=None)

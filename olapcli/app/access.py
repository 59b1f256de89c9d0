"""Personal links (``olap access``, SPEC §9): grant one to a tutor, an apprentice or a
trainer, list them, revoke one, and check the token a link carries — what the web front
door (``olap serve``) calls on every request.

Grants are kept in ``access.yaml`` at the cohort's root (committed: the centre audits
and revokes there); the secret that signs the tokens lives outside the repository
(:mod:`olapcli.io.secrets`), and neither it nor a token is ever written in the cohort.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from olapcli.core import access as rules
from olapcli.core.layout import ACCESS
from olapcli.core.model import WHOLE_COHORT
from olapcli.errors import ProblemsError, UserError
from olapcli.i18n import _
from olapcli.io import files

if TYPE_CHECKING:
    from olapcli.core.model import AccessFile, Cohort, Grant

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
SCHEMA_LINE = "# yaml-language-server: $schema=.olap/schema/access.schema.json\n"
HEADER = (
    "# Les liens personnels donnés (olap access) : aucun secret ni jeton ici.\n"
    "# Révoquer : olap access revoke ID --commit\n"
)


class TokenError(UserError):
    """A link that opens nothing; :attr:`reason` says why (the web page says it too)."""

    reason = "unknown"


class TokenTampered(TokenError):
    reason = "tampered"


class TokenExpired(TokenError):
    reason = "expired"


class TokenRevoked(TokenError):
    reason = "revoked"


class TokenUnknown(TokenError):
    reason = "unknown"


@dataclass(frozen=True)
class Granted:
    """A grant just recorded, and its personal link (shown once, never stored)."""

    grant: Grant
    link: str


@dataclass(frozen=True)
class GrantRow:
    """A grant as ``olap access list`` shows it."""

    grant: Grant
    state: rules.State


def _public_url(url: str | None) -> str:
    from urllib.parse import urlsplit

    text = (url or DEFAULT_PUBLIC_URL).strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or " " in text:
        raise UserError(
            _("« {url} » is not a public address for the links.").format(url=url),
            _("give the address of olap serve, e.g. https://olap.cfa.example"),
        )
    return text


def _trainer(cohort: Cohort, person: str | None) -> str:
    """The id of the trainer *person* (an id or an e-mail of cohort.yaml)."""
    ids = [t.id for t in cohort.trainers]
    if not person:
        raise UserError(
            _("A trainer's link needs --person: the trainer's id."),
            _("trainers of this cohort: {ids}").format(ids=", ".join(ids) or "—"),
        )
    wanted = person.strip().lower()
    for t in cohort.trainers:
        if wanted in (t.id.lower(), (t.email or "").lower()):
            return t.id
    raise UserError(
        _("« {person} » is not a trainer of cohort.yaml.").format(person=person),
        _("trainers of this cohort: {ids}").format(ids=", ".join(ids) or "—"),
    )


def _person(root: Path, cohort: Cohort, role: str, learner: str, person: str | None) -> str:
    """Who the link names: *person*, or the learner (alternant), their tutor (tuteur)."""
    if role == "formateur":
        return _trainer(cohort, person)
    from olapcli.io.load import valid_learners

    _rel, model = valid_learners(root, learner)[0]
    if person and person.strip():
        return person.strip()
    if role == "alternant":
        return f"{model.first_name} {model.last_name}"
    if model.tutor is None:
        raise UserError(
            _("{id} has no tutor in their file.").format(id=learner),
            _("add the tutor to the learner file, or give --person"),
        )
    return f"{model.tutor.first_name} {model.tutor.last_name}"


def _read_grants(root: Path) -> list[Grant]:
    """The grants of access.yaml (none when absent); refused when it has errors."""
    from olapcli.core.model import AccessFile
    from olapcli.io.memo import MODELS

    if not files.exists(root / ACCESS):
        return []
    model, problems = MODELS.read(root, ACCESS, AccessFile)
    if model is None:
        raise ProblemsError(
            _("{path} has errors; fix them first (olap validate shows them).").format(path=ACCESS),
            problems,
        )
    return list(model.grants)


def _save(root: Path, doc: Any, commit: str | None) -> AccessFile:
    """Check the edited access.yaml against the model, write it, commit it if asked
    (put back as it was if Git refuses); the model."""
    from olapcli.app.edit import follow_model
    from olapcli.core.model import AccessFile
    from olapcli.io import yamlwrite

    made: AccessFile = follow_model(AccessFile, ACCESS, doc.data)
    path, before = root / ACCESS, doc.text
    files.atomic_write(path, yamlwrite.dump(doc))
    if commit is not None:
        from olapcli.io import git

        try:
            git.commit(root, [path], commit)
        except BaseException:
            if before:
                files.atomic_write(path, before)
            else:
                files.remove(path)
            raise
    return made


def _document(root: Path) -> Any:
    """access.yaml loaded for editing (a new one when absent); refused when it has
    errors."""
    from olapcli.io import yamlwrite

    _read_grants(root)
    path = root / ACCESS
    if files.exists(path):
        return yamlwrite.load(path, ACCESS)
    return yamlwrite.new_document(path, ACCESS, SCHEMA_LINE + HEADER + "grants: []\n")


def grant_access(
    root: Path,
    learner: str,
    role: str,
    today: dt.date,
    person: str | None = None,
    days: int = rules.DEFAULT_DAYS,
    public_url: str | None = None,
    commit: bool = False,
    now: float | None = None,
) -> Granted:
    """Record a personal link for one person, one role, one learner (a trainer: one
    learner or the whole cohort, *learner* ``*``) and make its link, valid *days* days,
    starting with *public_url*, else ``serve.public_url`` of cohort.yaml."""
    from olapcli.core import ids
    from olapcli.io import secrets, yamlwrite
    from olapcli.io.load import require_core

    if role not in rules.ROLES:
        raise UserError(_("Unknown role « {role} ».").format(role=role), " | ".join(rules.ROLES))
    if not 1 <= days <= rules.MAX_DAYS:
        raise UserError(
            _("A link lasts from 1 to {max} days.").format(max=rules.MAX_DAYS),
            _("give --days between 1 and {max}").format(max=rules.MAX_DAYS),
        )
    cohort = require_core(root).cohort
    configured = cohort.serve.public_url if cohort.serve else None
    base = _public_url(public_url or configured)
    if learner == WHOLE_COHORT:
        if role != "formateur":
            raise UserError(
                _("Only a trainer's link (formateur) opens the whole cohort."),
                _("name one learner, or give --role formateur"),
            )
    else:
        from olapcli.io.paths import learner_path

        learner_path(root, learner)
    who = _person(root, cohort, role, learner, person)
    if commit:
        from olapcli.io import git

        git.require_repo(root)
    secret = secrets.ensure_secret(rules.cohort_key(cohort), refuse_inside=root)
    with files.repo_lock(root):
        doc = _document(root)
        taken = {g.id for g in _read_grants(root)}
        grant_id = ids.record_id("g", today)
        while grant_id in taken:
            grant_id = ids.record_id("g", today)
        entry = {
            "id": grant_id,
            "role": role,
            "learner": yamlwrite.scalar(learner),
            "person": yamlwrite.scalar(who),
            "created": today,
            "expires": today + dt.timedelta(days=days),
        }
        grants = yamlwrite.block_seq(doc.data, "grants")
        yamlwrite.append_item(grants, yamlwrite.new_map(entry))
        message = _("Personal link {id}: {role} for {learner}").format(
            id=grant_id, role=role, learner=_("the whole cohort") if learner == "*" else learner
        )
        made = _save(root, doc, message if commit else None)
    grant = next(g for g in made.grants if g.id == grant_id)
    token = rules.sign(secret, grant, time.time() if now is None else now)
    return Granted(grant, f"{base}/a/{token}")


def list_grants(root: Path, today: dt.date, include_all: bool = False) -> list[GrantRow]:
    """The grants with their state *today*: the valid ones, or all with *include_all*."""
    rows = [GrantRow(g, rules.state(g, today)) for g in _read_grants(root)]
    return [r for r in rows if include_all or r.state == "valid"]


def trainer_link(
    root: Path, person: str, today: dt.date, public_url: str | None, now: float | None = None
) -> str:
    """A new link for the trainer *person*'s grant over the whole cohort that works
    *today* (``olap serve --trainer``): nothing is written; refused when there is none."""
    from olapcli.io import secrets
    from olapcli.io.load import require_core

    cohort = require_core(root).cohort
    trainer = _trainer(cohort, person)
    found = [
        g
        for g in _read_grants(root)
        if g.role == "formateur"
        and g.learner == WHOLE_COHORT
        and g.person == trainer
        and rules.state(g, today) == "valid"
    ]
    if not found:
        raise UserError(
            _("{person} has no link to the whole cohort that works today.").format(person=trainer),
            _(
                "make one: olap access grant --all --role formateur --person {person} --commit"
            ).format(person=trainer),
        )
    grant = max(found, key=lambda g: g.expires)
    configured = cohort.serve.public_url if cohort.serve else None
    base = _public_url(public_url or configured)
    secret = secrets.ensure_secret(rules.cohort_key(cohort), refuse_inside=root)
    return f"{base}/a/{rules.sign(secret, grant, time.time() if now is None else now)}"


def revoke_grant(root: Path, grant_id: str, today: dt.date, commit: bool = False) -> Grant:
    """Mark the grant *grant_id* revoked *today*: its link opens nothing from now on."""
    if commit:
        from olapcli.io import git

        git.require_repo(root)
    with files.repo_lock(root):
        doc = _document(root)
        grants = {g.id: g for g in _read_grants(root)}
        if grant_id not in grants:
            raise UserError(
                _("No personal link « {id} ».").format(id=grant_id),
                _("« olap access list --all » shows every link and its id"),
            )
        if grants[grant_id].revoked is not None:
            raise UserError(
                _("The link {id} was already revoked on {day}.").format(
                    id=grant_id, day=grants[grant_id].revoked
                )
            )
        for item in doc.data["grants"]:
            if item.get("id") == grant_id:
                item["revoked"] = today
        message = _("Personal link {id} revoked").format(id=grant_id)
        made = _save(root, doc, message if commit else None)
    return next(g for g in made.grants if g.id == grant_id)


_REFUSALS: dict[str, type[TokenError]] = {
    "tampered": TokenTampered,
    "expired": TokenExpired,
    "revoked": TokenRevoked,
    "unknown": TokenUnknown,
}


def check_token(
    root: Path, token: str, now: float | None = None, secret_dir: Path | None = None
) -> Grant:
    """The grant a link's *token* opens in the cohort at *root*, checked: signed by this
    cohort's secret, not expired (at *now*, seconds since the epoch; default: the
    clock), recorded in access.yaml and not revoked. Else a :class:`TokenError`:
    :class:`TokenTampered`, :class:`TokenExpired`, :class:`TokenRevoked` or
    :class:`TokenUnknown`. *secret_dir*: the secrets folder, when not the default one."""
    from olapcli.io import clock, secrets
    from olapcli.io.load import require_core

    messages = {
        "tampered": _("This link is damaged or was not made by this centre."),
        "expired": _("This link has expired."),
        "revoked": _("This link was revoked."),
        "unknown": _("This link is unknown."),
    }
    hint = _("ask the centre for a new link")
    secret = secrets.read_secret(rules.cohort_key(require_core(root).cohort), secret_dir)
    if secret is None:
        raise TokenUnknown(messages["unknown"], hint)
    when = time.time() if now is None else now
    today = clock.today() if now is None else dt.datetime.fromtimestamp(now, dt.UTC).date()
    try:
        return rules.verify(secret, token, _read_grants(root), when, today)
    except rules.TokenProblem as exc:
        raise _REFUSALS[exc.reason](messages[exc.reason], hint) from None

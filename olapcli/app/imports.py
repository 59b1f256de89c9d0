"""``olap learner import``: the learners of the centre's export (CSV or XLSX), columns
found by their header name, all imported or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from olapcli.app.learners import NewLearner, create, fold, prepare
from olapcli.errors import UserError
from olapcli.i18n import _

#: field -> header names (folded) that mean it in the exports we know.
HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("prenom", "firstname", "prenomapprenant", "prenomalternant", "prenomapprenti"),
    "last_name": (
        "nom",
        "lastname",
        "nomdefamille",
        "nomapprenant",
        "nomalternant",
        "nomapprenti",
        "nomdusage",
    ),
    "email": ("email", "mail", "courriel", "adresseemail", "adressemail", "emailapprenant"),
    "phone": ("telephone", "tel", "portable", "mobile", "telephoneportable", "phone"),
    "company": ("entreprise", "employeur", "raisonsociale", "nomentreprise", "company"),
    "siret": ("siret",),
    "tutor_first_name": ("prenomtuteur", "tuteurprenom", "prenommaitredapprentissage"),
    "tutor_last_name": ("nomtuteur", "tuteurnom", "tuteur", "nommaitredapprentissage"),
    "tutor_email": ("emailtuteur", "mailtuteur", "tuteuremail", "courrieltuteur"),
    "trainers": ("formateur", "formateurs", "referent", "formateurreferent", "trainers"),
    "contract_type": ("typedecontrat", "typecontrat", "contrat"),
    "contract_start": ("debutcontrat", "datedebutcontrat", "datededebutducontrat", "debut"),
    "contract_end": ("fincontrat", "datefincontrat", "datedefinducontrat", "fin"),
    "status": ("statut", "status"),
}


def parse_day(value: Any) -> dt.date | None:
    """A date from a spreadsheet cell (date, ISO or DD/MM/YYYY); None when empty."""
    from olapcli.core.dates import parse_date
    from olapcli.io.clock import today

    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value).strip(), today())


def mapping(header: list[str]) -> dict[str, int]:
    """field -> column index, from the header names."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = fold(name)
        for fld, names in HEADERS.items():
            if key in names and fld not in found:
                found[fld] = index
    return found


def _trainer_ids(value: str, trainers: list[Any]) -> list[str]:
    out = []
    for part in [
        p.strip() for p in value.replace("/", ",").replace(";", ",").split(",") if p.strip()
    ]:
        f = fold(part)
        match = [
            t.id
            for t in trainers
            if f
            in (
                fold(t.id),
                fold(t.last_name),
                fold(t.first_name + t.last_name),
                fold(t.last_name + t.first_name),
                fold(t.email or ""),
            )
        ]
        if len(match) != 1:
            raise ValueError(part)
        out.append(match[0])
    return out


def learners_from(path: Path, trainers: list[Any]) -> list[NewLearner]:
    """NewLearner records from the export; refused with the rows in error."""
    from olapcli.io.spreadsheet import read_rows

    header, rows = read_rows(path)
    cols = mapping(header)
    for needed in ("first_name", "last_name"):
        if needed not in cols:
            raise UserError(
                _("{path}: no column for « {field} ».").format(path=path.name, field=needed),
                _(
                    "columns found: {cols}; expected e.g. Nom, Prénom, Email, Entreprise, "
                    "Nom tuteur, Prénom tuteur, Email tuteur, Formateur"
                ).format(cols=", ".join(header)),
            )
    out: list[NewLearner] = []
    errors: list[str] = []
    for number, cells in rows:

        def cell(fld: str, cells: list[Any] = cells) -> Any:
            i = cols.get(fld)
            if i is None or i >= len(cells):
                return None
            value = cells[i]
            if isinstance(value, str):
                value = value.strip()
            return value if value not in ("", None) else None

        src = f"{path.name}:{number}: "
        first, last = cell("first_name"), cell("last_name")
        if not first or not last:
            errors.append(src + _("first and last name are required"))
            continue
        try:
            start = parse_day(cell("contract_start"))
            end = parse_day(cell("contract_end"))
        except ValueError as exc:
            errors.append(src + _("invalid date « {value} »").format(value=exc))
            continue
        try:
            trainer_ids = _trainer_ids(str(cell("trainers") or ""), trainers)
        except ValueError as exc:
            errors.append(src + _("unknown trainer « {value} »").format(value=exc))
            continue
        company = cell("company")
        ctype = fold(str(cell("contract_type") or "apprentissage"))
        contract = None
        if start:
            contract = {
                "type": "professionnalisation" if "pro" in ctype else "apprentissage",
                "start": start,
                "end": end,
            }
        status_raw = fold(str(cell("status") or ""))
        status = (
            "searching"
            if (
                "recherche" in status_raw
                or "search" in status_raw
                or (not company and not status_raw)
            )
            else "contract"
        )
        tutor = None
        if cell("tutor_last_name"):
            tutor = {
                "first_name": str(cell("tutor_first_name") or "?"),
                "last_name": str(cell("tutor_last_name")),
                "email": cell("tutor_email"),
            }
        out.append(
            NewLearner(
                first_name=str(first),
                last_name=str(last),
                email=str(cell("email")) if cell("email") else None,
                phone=str(cell("phone")) if cell("phone") else None,
                status=status,
                company={
                    "name": str(company),
                    "siret": str(cell("siret")) if cell("siret") else None,
                }
                if company
                else None,
                tutor=tutor,
                trainers=trainer_ids,
                contract=contract,
                source=src,
            )
        )
    if errors:
        raise UserError(
            _("Nothing imported:") + "\n  " + "\n  ".join(errors),
            _("fix these rows in the file, then import again"),
        )
    return out


@dataclass
class Imported:
    """What an import made (or would make, when nothing was written)."""

    learners: list[tuple[str, NewLearner]]
    written: bool


def import_learners(
    root: Path, path: Path, commit: bool = False, dry_run: bool = False
) -> Imported:
    """Import the learners of the centre's export (CSV or XLSX, columns found by their
    header), all or none; with *dry_run*, say what would be created, write nothing."""
    from olapcli.io.load import require_core

    items = learners_from(path, list(require_core(root).cohort.trainers))
    if dry_run:
        planned = prepare(root, items)
        return Imported(
            [(lid, item) for (lid, _t), item in zip(planned, items, strict=True)], False
        )
    made = create(root, items, commit)
    return Imported(list(zip(made, items, strict=True)), True)

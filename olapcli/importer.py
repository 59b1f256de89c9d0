"""Reading the centre's CSV or XLSX export of learners, columns mapped by header name."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.learners import NewLearner, fold, parse_day

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


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and (row number, cells) of a CSV or XLSX file."""
    if not path.is_file():
        raise UserError(_("File not found: {path}").format(path=path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt"):
        return _csv(path)
    raise UserError(
        _("Unsupported file type « {ext} ».").format(ext=suffix),
        _("export the list as .csv or .xlsx"),
    )


def _csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # French spreadsheet exports
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    rows = [(i, r) for i, r in enumerate(csv.reader(io.StringIO(text), dialect), 1) if any(r)]
    if not rows:
        raise UserError(_("{path} is empty.").format(path=path))
    return [str(h) for h in rows[0][1]], rows[1:]


def _xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise UserError(
            _("Cannot read {path} as an Excel workbook: {detail}").format(path=path, detail=exc)
        ) from None
    sheet = book.worksheets[0]
    rows = [
        (i, list(r))
        for i, r in enumerate(sheet.iter_rows(values_only=True), 1)
        if any(c not in (None, "") for c in r)
    ]
    book.close()
    if not rows:
        raise UserError(_("{path} is empty.").format(path=path))
    return [str(h or "") for h in rows[0][1]], rows[1:]


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

"""Reading a spreadsheet the centre exported: CSV (UTF-8, or Windows-1252 from French
spreadsheets, the separator sniffed) or XLSX (the first sheet, values only)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from olapcli.errors import UserError
from olapcli.i18n import _


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
        try:
            text = raw.decode("cp1252")  # French spreadsheet exports
        except UnicodeDecodeError as exc:
            raise UserError(
                _("{path} is neither UTF-8 nor Windows-1252 text (byte {at}).").format(
                    path=path, at=exc.start
                ),
                _("export the list again as CSV UTF-8, or as .xlsx"),
            ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = [(i, r) for i, r in enumerate(reader, 1) if any(r)]
    except csv.Error:  # a cell beyond the field limit, a stray quote
        raise UserError(
            _(
                "{path}:{line}: this line cannot be read as CSV (a cell over 128 KiB, "
                "or a quote left open)."
            ).format(path=path, line=reader.line_num),
            _("export the list again as .csv or .xlsx"),
        ) from None
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

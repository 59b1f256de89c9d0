"""Files deposited in a learner's own folder through ``olap serve`` (SPEC §9): the
apprentice (and the tutor, a trainer) sends a document; olap keeps it only when its
CONTENT is a PDF, an image (PNG, JPEG, GIF, WebP) or an office document (docx, xlsx,
pptx, odt/ods/odp, or a legacy Word/Excel/PowerPoint file), under a safe name of its own
in ``learners/<id>/files/``, never replacing a file — one commit signed by the person."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _

#: the largest file accepted (bytes)
MAX_FILE = 10 * 1024 * 1024
#: the longest name kept, extension apart
MAX_STEM = 80
#: office files in a ZIP, told by their first folder, or by ODF's mimetype entry
_ZIP_KINDS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Refused(UserError):
    """A file olap does not keep: *status* is the HTTP code that says why."""

    def __init__(self, message: str, hint: str | None, status: int) -> None:
        super().__init__(message, hint)
        self.status = status


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for prefix, ext in _ZIP_KINDS.items():
                    if any(n.startswith(prefix) for n in names):
                        return ext
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return None
    return None


def kind_of(data: bytes, given_ext: str = "") -> str | None:
    """The extension the CONTENT of *data* deserves (``pdf``, ``png``…), or None when it
    is none of the kinds kept. A legacy office file keeps its given extension."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return given_ext if given_ext in ("doc", "xls", "ppt") else "doc"
    return None


def safe_name(given: str, ext: str) -> str:
    """A name of the folder for the file sent as *given*: its last part only, no accent,
    space, control character or dot at the start, at most :data:`MAX_STEM` characters,
    with the extension *ext* that its content deserves."""
    base = re.split(r"[/\\]", given)[-1]
    stem = base.rpartition(".")[0] if "." in base.lstrip(".") else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower()[:MAX_STEM].strip("-")
    return f"{stem or 'fichier'}.{ext}"


@dataclass(frozen=True)
class Deposited:
    """Where the file went (relative to the cohort) and its commit."""

    rel: str
    commit: str


def deposit(
    root: Path, learner_id: str, given: str, data: bytes, author: str, via: str = ""
) -> Deposited:
    """Keep *data* (sent as *given*) in the learner's own folder and commit it, signed by
    *author*; refused (nothing written) when too large (413) or not a kept kind (415)."""
    from olapcli.io import deposits, files, git
    from olapcli.io.paths import learner_path

    learner_path(root, learner_id)
    if len(data) > MAX_FILE:
        raise Refused(
            _("The file is larger than {n} MB.").format(n=MAX_FILE // (1024 * 1024)),
            _("send a smaller file (a PDF export, a lighter photo)"),
            413,
        )
    if not data:
        raise Refused(_("The file is empty."), _("choose a file to send"), 400)
    ext = kind_of(data, given.rpartition(".")[2].lower() if "." in given else "")
    if ext is None:
        raise Refused(
            _("This kind of file is not accepted."),
            _("send a PDF, an image (PNG, JPEG, GIF, WebP) or an office document"),
            415,
        )
    git.require_repo(root)
    with files.repo_lock(root):
        rel_folder = deposits.folder_rel(learner_id)
        tracked = git.run(root, "ls-files", "-z", "--", rel_folder)
        taken = {Path(p).name for p in tracked.stdout.split("\0") if p}
        name = deposits.free_name(root, learner_id, safe_name(given, ext), taken)
        path = deposits.write_new(root, learner_id, name, data)
        message = _("File for {learner}: {name}").format(learner=learner_id, name=name)
        try:
            done = git.commit(root, [path], message + (f" ({via})" if via else ""), author)
        except BaseException:
            deposits.remove(path)
            raise
    return Deposited(f"{rel_folder}/{name}", done)


def own_files(root: Path, learner_id: str) -> list[tuple[str, int]]:
    """The files of the learner's own folder: (name, size)."""
    from olapcli.io import deposits

    return deposits.listed(root, learner_id)


def own_file(root: Path, learner_id: str, name: str) -> bytes | None:
    """The bytes of one file of the learner's own folder, or None."""
    from olapcli.io import deposits

    return deposits.read(root, learner_id, name)

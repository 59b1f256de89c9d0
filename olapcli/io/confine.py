"""Confinement: a folder olap writes in, and nothing outside it, whatever a file read
back (a manifest, a marker, anything committed by anyone) names; and the bytes of a
regular file reached without following a symbolic link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io.files import write_if_changed


def inside(folder: Path, rel: str) -> Path | None:
    """Where *rel* is under *folder*, when it stays there: a relative path with forward
    slashes, no ``.``/``..`` part, and no symbolic link on the way (the folder itself is
    taken resolved). None otherwise: what a file olap reads back (a manifest committed by
    anyone) names is never allowed to lead outside the folder olap writes in."""
    parts = rel.split("/")
    if (
        not rel
        or "\\" in rel
        or "\0" in rel
        or any(part in ("", ".", "..") for part in parts)
        or Path(rel).is_absolute()
    ):
        return None
    try:
        base = folder.resolve()
        target = base.joinpath(*parts)
        # every folder on the way is a real folder, not a link: resolved, it is itself
        if target.parent.resolve() != target.parent:
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    return target


class Confined:
    """A folder olap writes in, and nothing outside it: every name given is checked with
    :func:`inside` (each folder on the way resolved once: a site has tens of thousands of
    pages in a few folders)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._base = folder.resolve()
        self._parents: dict[Path, bool] = {}

    def path(self, rel: str) -> Path | None:
        """Where *rel* is in the folder, or None when it leads outside."""
        parts = rel.split("/")
        if len(parts) < 2 or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
            return inside(self.folder, rel)
        parent = self._base.joinpath(*parts[:-1])
        if parent not in self._parents:
            self._parents[parent] = inside(self.folder, rel) is not None
        return parent / parts[-1] if self._parents[parent] else None

    def outside(self, rels: list[str]) -> list[str]:
        """Those of *rels* that lead outside the folder."""
        return [rel for rel in rels if self.path(rel) is None]

    def write(self, rel: str, data: bytes, durable: bool = True) -> bool:
        """:func:`write_if_changed` for *rel*; refused when it leads outside."""
        path = self.path(rel)
        if path is None:
            raise UserError(
                _(
                    "« {path} » leads outside the folder {folder}; olap writes only inside it."
                ).format(path=rel, folder=self.folder),
                _("remove the symbolic link or the odd name from the folder, then try again"),
            )
        return write_if_changed(path, data, durable)

    def remove(self, rel: str) -> bool:
        """Remove the file (or link: never what it points at) *rel*; False, and nothing
        touched, when it leads outside the folder or is a folder."""
        path = self.path(rel)
        if path is None:
            return False
        try:
            path.unlink()
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return True


def read_regular(root: Path, rel: str) -> bytes | None:
    """The bytes of the regular file *rel* under *root*, reached without following any
    symbolic link (on the way or at the end); None otherwise."""
    path = inside(root, rel)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)

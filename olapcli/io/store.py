"""olap's cache: one folder, JSON only (never pickle), every entry keyed by content.

It lives outside the cohort's tracked files: ``$OLAP_CACHE_DIR``, else
``$XDG_CACHE_HOME/olap``, else ``~/.cache/olap``. Each cohort folder has its own
sub-folder (named after the folder's path) holding a few JSON documents:

``files``
    the index: for each data file, its stat (size, mtime, ctime, inode) and the digest
    of its bytes. As git does with its index, a file whose stat is unchanged is trusted
    unread, unless it was modified less than :data:`RACY` before the index was taken
    (a later write in the same clock tick could leave the stat unchanged): then it is
    read and hashed again. ctime cannot be set back, so an edit that restores the
    modification time is still seen.
``learners``, ``briefs``, ``models``, ``core``, ``result``, ``valid``…
    what olap computed from files, each entry under the digest of the bytes it was
    computed from (and of whatever else it depends on): a changed byte is a different
    key, so nothing stale is ever served.

Every document starts with a line holding the store's format, olap's version and the
checksum of the rest: a document cut short, edited by hand or written by another
version of olap is ignored, never trusted. Writing is atomic and best effort: a
read-only or full cache folder only costs speed. Compiled Jinja templates are kept in
``templates/`` by Jinja's own content-keyed cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import zlib
from array import array
from pathlib import Path
from typing import Any

from olapcli import __version__
from olapcli.core.layout import COHORT, REFERENTIEL, SUBJECTS
from olapcli.errors import UserError
from olapcli.io import env, files

#: bumped whenever what a document holds changes shape (7: a need's brief holds its
#: actors, steps and whether it is evaluated), so that an older cache is never misread
FORMAT = f"olap-store/9 {__version__}"
#: ns: a file modified less than this before the index was taken is hashed, not trusted
RACY = 2_000_000_000  # covers file systems with 1 or 2 s timestamps


def cache_dir() -> Path:
    """The folder of olap's cache."""
    return env.user_dir("OLAP_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def templates_folder() -> Path | None:
    """Where Jinja keeps compiled templates (its own content-keyed cache), or None when
    the cache folder cannot be written (which only costs speed)."""
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def digest(data: bytes) -> str:
    """The content digest every entry is keyed by (BLAKE2b, 128 bits)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _checksum(data: bytes | memoryview) -> str:
    """What tells a document is whole and untouched (CRC-32: read on every run, it must
    cost nothing; the cache guards against accidents, its folder is the user's own)."""
    return f"{zlib.crc32(data):08x}"


def key(*parts: str) -> str:
    """A key made of several parts (digests, options, versions)."""
    return digest("\0".join(parts).encode("utf-8"))


#: inodes are kept as signed 64-bit numbers (some file systems use all 64 bits)
_INO = (1 << 63) - 1


def stat_of(path: str | Path) -> list[int]:
    """What the index compares to trust a file unread."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino & _INO]


class Stats:
    """The stat of some files, taken at one moment (see :meth:`Store.stats`)."""

    def __init__(self, rels: list[str], numbers: array[int], taken: int) -> None:
        self._rels = rels
        #: size, modification time, change time, inode of each file, in a row
        self._numbers = numbers
        #: when the stats were taken (ns)
        self.taken = taken
        names = "\n".join(rels).encode("utf-8", "surrogateescape")
        #: a key of every file's path and stat: the same key, the same files (unless racy)
        self.key = digest(FORMAT.encode() + b"\0" + names + b"\0" + numbers.tobytes())
        #: the latest modification or change time of the files (ns)
        self.newest = max(max(numbers[1::4], default=0), max(numbers[2::4], default=0))

    @property
    def of(self) -> dict[str, list[int]]:
        """{path: [size, mtime, ctime, inode]}."""
        n = self._numbers
        return {rel: n[4 * i : 4 * i + 4].tolist() for i, rel in enumerate(self._rels)}

    def trusted_since(self, when: int) -> bool:
        """Can what was computed at *when* (ns) from files with these same stats be
        trusted? Not when one of them was modified just before (git's racy rule)."""
        return self.newest < when - RACY


class Store:
    """The cache of one cohort folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
        self.folder = cache_dir() / "cohorts" / name

    # --- documents --------------------------------------------------------------------

    def read(self, name: str) -> Any:
        """The document *name*, or None when it is absent or not exactly what olap wrote."""
        try:
            raw = (self.folder / f"{name}.json").read_bytes()
            head, _nl, body = raw.partition(b"\n")
            fmt, _sp, check = head.decode("ascii").rpartition(" ")
            if fmt != FORMAT or check != _checksum(body):
                return None
            return json.loads(body)
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    def write(self, name: str, value: Any) -> None:
        """Keep *value* as the document *name* (atomically; best effort)."""
        from olapcli.io.files import atomic_write_bytes

        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = f"{FORMAT} {_checksum(body)}\n".encode("ascii")
        with contextlib.suppress(OSError, UserError):  # a cache: best effort
            atomic_write_bytes(self.folder / f"{name}.json", head + body, durable=False)

    def read_blob(self, name: str) -> tuple[Any, bytes] | None:
        """A document kept as bytes with a little JSON beside them (a long text, say, which
        JSON would escape): (the JSON, the bytes), or None (as :meth:`read`)."""
        try:
            raw = (self.folder / f"{name}.blob").read_bytes()
            # found by index, not split: the text may be megabytes, copied once
            first = raw.index(b"\n")
            second = raw.index(b"\n", first + 1)
            fmt, _sp, check = raw[:first].decode("ascii").rpartition(" ")
            if fmt != FORMAT or check != _checksum(memoryview(raw)[first + 1 :]):
                return None
            return json.loads(raw[first + 1 : second]), raw[second + 1 :]
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    def write_blob(self, name: str, meta: Any, data: bytes) -> None:
        """Keep *data* and *meta* as the document *name* (see :meth:`read_blob`)."""
        from olapcli.io.files import atomic_write_bytes

        rest = json.dumps(meta, ensure_ascii=True, separators=(",", ":")).encode() + b"\n" + data
        head = f"{FORMAT} {_checksum(rest)}\n".encode("ascii")
        with contextlib.suppress(OSError, UserError):  # a cache: best effort
            atomic_write_bytes(self.folder / f"{name}.blob", head + rest, durable=False)

    def lock(
        self, kind: str, timeout: float | None, busy: UserError | None = None
    ) -> contextlib.AbstractContextManager[None]:
        """An exclusive lock of *kind* for this cohort, its file in the cache folder (never
        in the working tree); see :func:`olapcli.io.files.file_lock`."""
        from olapcli.io.files import file_lock

        self.folder.mkdir(parents=True, exist_ok=True)
        return file_lock(self.folder / f"{kind}.lock", timeout, busy)

    def table(self, name: str) -> Table:
        """The table *name* of this cohort's cache (see :class:`Table`)."""
        return Table(self, name)

    # --- the index of file digests ------------------------------------------------------

    def stats(self, rels: list[str]) -> Stats:
        """The stat of each file of *rels* that exists, and a key of them all: when the
        key is the one of an earlier run, no file has changed since (a stat has size,
        modification and change times, inode: an edit, a copy, a checkout changes it).
        Made for 10,000 files in a few tens of milliseconds: no object per file."""
        taken = time.time_ns()
        found: list[str] = []
        numbers = array("q")
        add, extend = found.append, numbers.extend
        folders: dict[str, list[str]] = {}
        for rel in rels:
            folders.setdefault(rel.rpartition("/")[0], []).append(rel)
        for folder, inside in folders.items():
            fd = None
            if os.stat in os.supports_dir_fd:  # not on Windows
                # relative to an open folder: the kernel walks the path once, not per file
                with contextlib.suppress(OSError):
                    fd = os.open(self.root / folder, os.O_RDONLY)
            skip = len(folder) + 1 if folder and fd is not None else 0
            top = "" if fd is not None else str(self.root) + os.sep
            try:
                for rel in inside:
                    try:
                        st = os.stat(top + rel[skip:], dir_fd=fd)
                    except OSError:
                        continue
                    add(rel)
                    extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino & _INO))
            finally:
                if fd is not None:
                    os.close(fd)
        return Stats(found, numbers, taken)

    def digests(
        self, rels: list[str], complete: bool = True, stats: Stats | None = None
    ) -> tuple[dict[str, str], dict[str, bytes]]:
        """The digest of each file of *rels* (relative to the cohort), and the bytes of
        those that had to be read (so the caller does not read them again). A file that
        cannot be read has no digest. With *complete*, *rels* is every file of its kind:
        the index forgets the others. *stats*: the files' stats, if just taken."""
        index = self.table("files")
        known = index.load()
        now = time.time_ns() if stats is None else stats.taken
        found: dict[str, str] = {}
        read: dict[str, bytes] = {}
        changed: dict[str, Any] = {}
        top = str(self.root) + os.sep
        stat_of_rel = stats.of if stats is not None else None
        for rel in rels:
            path = top + rel
            if stat_of_rel is not None:
                if rel not in stat_of_rel:
                    continue
                stat = stat_of_rel[rel]
            else:
                try:
                    stat = stat_of(path)
                except OSError:
                    continue
            entry = known.get(rel)
            # [size, mtime, ctime, inode, digest, when the entry was made]: trusted when the
            # file's stat is the same and it was not modified just before (git's racy rule)
            if (
                type(entry) is list
                and len(entry) == 6
                and entry[:4] == stat
                and stat[1] < entry[5] - RACY
            ):
                found[rel] = entry[4]
                continue
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            read[rel] = data
            found[rel] = digest(data)
            changed[rel] = [*stat, found[rel], now]
        gone = [rel for rel in known if rel not in found] if complete else []
        index.save(changed, gone)
        return found, read

    # --- what olap knows valid ------------------------------------------------------------

    def known_valid(self, text: str) -> bool:
        """Is exactly this text of a learner file known free of errors, with the cohort's
        core files as they are now? Marks come from olap's own writes, from
        ``olap validate`` and from the check a write command makes of a file it has not
        seen."""
        kept = self.table("valid").load().get(digest(text.encode("utf-8")))
        return kept is not None and kept == self.core_digest()

    def mark_valid(self, text: str) -> None:
        """Remember that this text of a learner file is free of errors, with the core files
        as they are now."""
        self.table("valid").save({digest(text.encode("utf-8")): self.core_digest()})

    def core_digest(self) -> str:
        """The digest of the core files a learner's checks read (activities, trainers,
        periods): a text valid with one référentiel may not be with the next."""
        core = [files.read_bytes(self.root / rel) or b"" for rel in (COHORT, REFERENTIEL, SUBJECTS)]
        return digest(b"\0".join(core))


class Table:
    """A map kept in two JSON documents: the *base*, rewritten rarely, and a *journal* of
    what changed since (``None`` for a key removed), small, rewritten on each change.
    Readers see both; once the journal grows past an eighth of the base, both are
    merged into a new base. A change to one entry of a 10,000-entry table then writes
    a few bytes, not megabytes. A journal belongs to one base: written beside another
    (by a process that compacted meanwhile), it is ignored."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name
        self._base: dict[str, Any] = {}
        self._id = ""
        self._journal: dict[str, Any] = {}

    def load(self) -> dict[str, Any]:
        """Every entry."""
        base = self.store.read(self.name)
        if isinstance(base, dict) and isinstance(base.get("entries"), dict):
            self._base, self._id = base["entries"], str(base.get("id"))
        self._read_journal()
        if not self._journal:
            return self._base
        merged = {**self._base, **self._journal}
        return {k: v for k, v in merged.items() if v is not None}

    def _read_journal(self) -> None:
        journal = self.store.read(f"{self.name}.journal")
        if (
            isinstance(journal, dict)
            and journal.get("base") == self._id
            and isinstance(journal.get("entries"), dict)
        ):
            self._journal = journal["entries"]

    def save(self, changed: dict[str, Any], removed: list[str] | None = None) -> None:
        """Record *changed* entries and forget *removed* ones (after :meth:`load`, or on
        their own: the documents are then read first)."""
        if not changed and not removed:
            return
        size = len(self._base)
        if not self._id:  # not loaded: the base's id and size, not the base itself
            head = self.store.read(f"{self.name}.base")
            if isinstance(head, dict):
                self._id, size = str(head.get("id")), int(head.get("size", 0))
                self._read_journal()
        journal = {**self._journal, **changed, **dict.fromkeys(removed or [])}
        if self._id and len(journal) <= max(256, size // 8):
            self._journal = journal
            self.store.write(f"{self.name}.journal", {"base": self._id, "entries": journal})
            return
        if size and not self._base:  # compacting: the base is needed after all
            self.load()
            journal = {**self._journal, **changed, **dict.fromkeys(removed or [])}
        merged = {**self._base, **journal}
        self._base = {k: v for k, v in merged.items() if v is not None}
        self._id = f"{time.time_ns():x}-{os.getpid()}"
        self._journal = {}
        self.store.write(f"{self.name}.journal", {"base": self._id, "entries": {}})
        self.store.write(self.name, {"id": self._id, "entries": self._base})
        self.store.write(f"{self.name}.base", {"id": self._id, "size": len(self._base)})

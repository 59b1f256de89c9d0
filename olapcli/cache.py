"""The validate cache: results keyed by the content of every file read.

It lives outside the cohort's tracked files (``OLAP_CACHE_DIR``, else the
user's cache folder), is JSON (never pickle), and is keyed by a hash of the
bytes of every data file, the list of resource files, olap's version, the
options and the day (lints depend on today). A stale result can therefore
never be served: any edit, addition or removal changes the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from pathlib import Path

from olapcli import __version__
from olapcli.errors import Problem, UserError


def cache_dir() -> Path:
    """Where cache files go."""
    forced = os.environ.get("OLAP_CACHE_DIR")
    if forced:
        return Path(forced)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "olap"


_CATALOGS = Path(__file__).parent / "locale"
DATA_PATHS = ("cohort.yaml", "referentiel.yaml", "subjects.yaml", "resources", "learners")


def cohort_file(root: Path, kind: str, suffix: str = ".json") -> Path:
    """The cache file of *kind* for the cohort at *root* (one per cohort folder)."""
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
    return cache_dir() / f"{kind}-{name}{suffix}"


def lock(
    root: Path, kind: str, timeout: float | None, busy: UserError | None = None
) -> contextlib.AbstractContextManager[None]:
    """An exclusive lock of *kind* for the cohort at *root*, its file in the cache folder
    (never in the working tree); see :func:`olapcli.io.files.file_lock`."""
    from olapcli.io.files import file_lock

    path = cohort_file(root, kind, ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    return file_lock(path, timeout, busy)


def _data_files(root: Path) -> list[str]:
    names = [n for n in DATA_PATHS[:3] if os.path.exists(os.path.join(root, n))]
    for folder in ("resources", "learners"):
        with contextlib.suppress(FileNotFoundError):
            names += sorted(f"{folder}/{e.name}" for e in os.scandir(root / folder) if e.is_file())
    files = root / "resources" / "files"
    if files.is_dir():
        names += sorted(
            "?" + str(p.relative_to(root)) for p in files.rglob("*") if p.is_file()
        )  # existence only: checks look at whether files are there
    with contextlib.suppress(FileNotFoundError):
        for entry in sorted(os.scandir(root / "learners"), key=lambda e: e.name):
            if entry.is_dir():  # a learner's own resources: their YAML, and which files exist
                for p in sorted(Path(entry.path).rglob("*")):
                    if p.is_file():
                        rel = p.relative_to(root).as_posix()
                        names.append(
                            rel
                            if p.suffix == ".yaml" and p.parent.name == entry.name
                            else "?" + rel
                        )
    return names


_ENTRY = struct.Struct(">10L20sH")


IndexEntry = tuple[int, int, int, int, str]  # ctime_ns, mtime_ns, inode, size, blob id


def _git_index(root: Path) -> tuple[Path, int, dict[str, IndexEntry]] | None:
    """The git index of the repository holding *root*: (work tree, index mtime,
    {path: (ctime_ns, mtime_ns, ino, size, blob)}) for stage-0 entries. None when
    there is no readable v2/v3 index (then every file is hashed)."""
    here = root.resolve()
    for top in (here, *here.parents):
        dot = top / ".git"
        if dot.is_dir():
            break
        if dot.exists():
            return None  # a worktree or submodule: .git is a file
    else:
        return None
    try:
        index = dot / "index"
        stamp = index.stat().st_mtime_ns
        data = index.read_bytes()
    except OSError:
        return None
    if data[:4] != b"DIRC" or len(data) < 12:
        return None
    version, count = struct.unpack(">LL", data[4:12])
    if version not in (2, 3):
        return None
    entries: dict[str, IndexEntry] = {}
    pos = 12
    try:
        for _ in range(count):
            cs, cn, ms, mn, _dev, ino, _mode, _uid, _gid, size, blob, flags = _ENTRY.unpack_from(
                data, pos
            )
            name_at = pos + 62 + (2 if version == 3 and flags & 0x4000 else 0)
            length = flags & 0xFFF
            end = data.index(b"\0", name_at) if length == 0xFFF else name_at + length
            name = data[name_at:end].decode("utf-8", "surrogateescape")
            pos += ((end - pos) // 8 + 1) * 8  # entries are NUL-padded to 8 bytes
            if (flags >> 12) & 3 == 0:
                entries[name] = (cs * 10**9 + cn, ms * 10**9 + mn, ino, size, blob.hex())
    except (struct.error, ValueError):
        return None
    return top, stamp, entries


def _git_ids(root: Path) -> dict[str, str]:
    """{path under root: blob id} for files git's index proves unchanged.

    The rule is git's own: the file's ctime, mtime, size and inode equal the
    index entry's, and the entry is not « racily clean » (modified no earlier
    than the index was written). ctime cannot be set back, so an edit that
    restores the modification time is still seen.
    """
    found = _git_index(root)
    if found is None:
        return {}
    top, stamp, entries = found
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    ids: dict[str, str] = {}
    for rel in _data_files(root):
        entry = entries.get(prefix + rel)
        if entry is None:
            continue
        ctime, mtime, ino, size, blob = entry
        try:
            st = os.stat(os.path.join(root, rel))
        except OSError:
            continue
        if (
            st.st_ctime_ns == ctime
            and st.st_mtime_ns == mtime
            and st.st_ino & 0xFFFFFFFF == ino
            and st.st_size & 0xFFFFFFFF == size
            and mtime < stamp
            and ctime < stamp
        ):
            ids[rel] = blob
    return ids


def content_key(root: Path, *options: str) -> str:
    """Hash of every data file's content, plus *options* and the message catalogs.

    Files git tracks unchanged count by their blob id (a hash of their content
    git already has); the others are read and hashed.
    """
    h = hashlib.blake2b(digest_size=20)
    h.update("\0".join((__version__, *options)).encode() + b"\0")
    for mo in sorted(_CATALOGS.glob("*/LC_MESSAGES/*.mo")):
        h.update(mo.read_bytes())
    known = _git_ids(root)
    base = str(root)
    for rel in _data_files(root):
        h.update(rel.encode() + b"\0")
        if rel.startswith("?"):
            continue
        blob = known.get(rel)
        if blob is not None:
            h.update(b"git:" + blob.encode())
            continue
        try:
            with open(os.path.join(base, rel), "rb") as handle:
                data = handle.read()
        except OSError:
            data = b"\xff<unreadable>"
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _file(root: Path) -> Path:
    return cohort_file(root, "validate")


def get(root: Path, key: str) -> list[Problem] | None:
    """Cached problems for *key*, or None."""
    try:
        data = json.loads(_file(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return [Problem.from_json(p) for p in data["problems"]]


def put(root: Path, key: str, problems: list[Problem]) -> None:
    """Store *problems* for *key* (best effort: a read-only cache is no error)."""
    from olapcli.io.files import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(
            _file(root),
            json.dumps(
                {"key": key, "problems": [p.as_json() for p in problems]}, ensure_ascii=False
            ),
        )


def _marks(root: Path) -> Path:
    return cohort_file(root, "valid", "")


def digest(data: bytes) -> str:
    """Content digest used by the validity marks."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _digest(text: str) -> str:
    return digest(text.encode("utf-8"))


def known_valid(root: Path, rel: str, text: str) -> bool:
    """True when olap has validated exactly this text of *rel* against the model.

    Marks come from olap's own writes (one small file each) and from the
    last ``olap validate`` (one file for the cohort).
    """
    mine = f"{__version__} {_digest(text)}"
    mark = _marks(root) / (rel.replace("/", "__") + ".txt")
    try:
        if mark.read_text(encoding="ascii") == mine:
            return True
    except OSError:
        pass
    try:
        bulk = json.loads((_marks(root) / "validate.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(bulk, dict) and bulk.get(rel) == mine


def mark_all_valid(root: Path, digests: dict[str, str]) -> None:
    """Record the learner files ``olap validate`` found valid: {path: digest of bytes}."""
    from olapcli.io.files import atomic_write

    marks = {rel: f"{__version__} {d}" for rel, d in digests.items()}
    with contextlib.suppress(OSError):
        atomic_write(_marks(root) / "validate.json", json.dumps(marks))


def mark_valid(root: Path, rel: str, text: str) -> None:
    """Remember that this text of *rel* is valid (best effort)."""
    from olapcli.io.files import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(
            _marks(root) / (rel.replace("/", "__") + ".txt"), f"{__version__} {_digest(text)}"
        )

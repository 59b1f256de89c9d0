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
from pathlib import Path

from olapcli import __version__
from olapcli.errors import Problem


def cache_dir() -> Path:
    """Where cache files go."""
    forced = os.environ.get("OLAP_CACHE_DIR")
    if forced:
        return Path(forced)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "olap"


def _data_files(root: Path) -> list[str]:
    names = [n for n in ("cohort.yaml", "referentiel.yaml", "subjects.yaml") if (root / n).exists()]
    for folder in ("resources", "learners"):
        with contextlib.suppress(FileNotFoundError):
            names += sorted(f"{folder}/{e.name}" for e in os.scandir(root / folder) if e.is_file())
    files = root / "resources" / "files"
    if files.is_dir():
        names += sorted(
            "?" + str(p.relative_to(root)) for p in files.rglob("*") if p.is_file()
        )  # existence only: checks look at whether files are there
    return names


_CATALOGS = Path(__file__).parent / "locale"


def content_key(root: Path, *options: str) -> str:
    """Hash of every data file's bytes, plus *options* and the message catalogs."""
    h = hashlib.blake2b(digest_size=20)
    h.update("\0".join((__version__, *options)).encode() + b"\0")
    for mo in sorted(_CATALOGS.glob("*/LC_MESSAGES/*.mo")):
        h.update(mo.read_bytes())
    for rel in _data_files(root):
        h.update(rel.encode() + b"\0")
        if rel.startswith("?"):
            continue
        try:
            data = (root / rel).read_bytes()
        except OSError:
            data = b"\xff<unreadable>"
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _file(root: Path) -> Path:
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
    return cache_dir() / f"validate-{name}.json"


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
    from olapcli.store import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(
            _file(root),
            json.dumps(
                {"key": key, "problems": [p.as_json() for p in problems]}, ensure_ascii=False
            ),
        )


def _marks(root: Path) -> Path:
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
    return cache_dir() / f"valid-{name}"


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
    from olapcli.store import atomic_write

    marks = {rel: f"{__version__} {d}" for rel, d in digests.items()}
    with contextlib.suppress(OSError):
        atomic_write(_marks(root) / "validate.json", json.dumps(marks))


def mark_valid(root: Path, rel: str, text: str) -> None:
    """Remember that this text of *rel* is valid (best effort)."""
    from olapcli.store import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(
            _marks(root) / (rel.replace("/", "__") + ".txt"), f"{__version__} {_digest(text)}"
        )

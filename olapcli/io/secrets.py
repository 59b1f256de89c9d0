"""The signing secrets of personal links (``olap access``), kept OUTSIDE the cohort
repository: one file per cohort in the user's configuration folder, readable by its
owner only (0600), created once, atomically, and never printed nor logged.

The folder is ``$OLAP_SECRET_DIR``, else ``$XDG_CONFIG_HOME/olap``, else
``~/.config/olap``; the file is ``access-keys/<cohort key>.key``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path

from olapcli.errors import UserError
from olapcli.i18n import _
from olapcli.io import env

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def secret_dir(given: Path | None = None) -> Path:
    """The folder holding olap's secrets (never inside a cohort): *given* (``olap serve``
    may be handed one), else the environment's."""
    if given is not None:
        return given
    return env.user_dir("OLAP_SECRET_DIR", "XDG_CONFIG_HOME", ".config")


def secret_path(cohort_key: str, folder: Path | None = None) -> Path:
    """Where the secret of the cohort *cohort_key* (a slug) lives (in *folder*, else the
    default secrets folder)."""
    if not _KEY.match(cohort_key):
        raise ValueError(cohort_key)
    return secret_dir(folder) / "access-keys" / f"{cohort_key}.key"


def read_secret(cohort_key: str, folder: Path | None = None) -> str | None:
    """The secret of the cohort *cohort_key*, or None when there is none yet."""
    path = secret_path(cohort_key, folder)
    hint = _("check the file's owner and rights (it must be readable by you only)")
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        raise UserError(
            _("The signing key of this cohort cannot be read: {path}").format(path=path), hint
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):  # like ssh: a key others may read is not used
        raise UserError(
            _("The signing key {path} can be read by others: it is not used.").format(path=path),
            _("make it private (chmod 600), or delete it to end every link and make a new one"),
        )
    return text or None


def ensure_secret(
    cohort_key: str, refuse_inside: Path | None = None, folder: Path | None = None
) -> str:
    """The secret of the cohort *cohort_key*, made on first use with
    ``secrets.token_urlsafe(32)``: written to a private temporary file (0600), forced to
    the disk, then linked to its name, so that two commands at once agree on one secret
    and nobody ever reads half of it. Refused when the folder lies inside
    *refuse_inside* (the cohort: a secret must never be committed)."""
    path = secret_path(cohort_key, folder)
    if refuse_inside is not None and path.resolve().is_relative_to(refuse_inside.resolve()):
        raise UserError(
            _("The signing key would be written inside the cohort ({path}).").format(path=path),
            _("set OLAP_SECRET_DIR to a folder outside the repository"),
        )
    found = read_secret(cohort_key, folder)
    if found is not None:
        return found
    keys = path.parent
    try:
        keys.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".key.", dir=keys)  # mode 0600
        try:
            os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # made meanwhile: theirs wins
                os.link(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError as exc:
        raise UserError(
            _("The signing key cannot be written in {path}: {detail}").format(
                path=keys, detail=exc.strerror or exc
            ),
            _("set OLAP_SECRET_DIR to a folder you can write"),
        ) from None
    made = read_secret(cohort_key, folder)
    assert made is not None
    return made

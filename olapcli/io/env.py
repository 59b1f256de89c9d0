"""olap's settings from the environment (never from the cohort's tracked files)."""

from __future__ import annotations

import os
from pathlib import Path


def get(name: str, default: str = "") -> str:
    """The environment variable *name*, or *default*."""
    return os.environ.get(name, default)


def in_ci() -> bool:
    """Is olap running in a CI job (where nothing is merged by hand, nobody answers)?"""
    return bool(os.environ.get("CI"))


def user_dir(forced: str, xdg: str, fallback: str) -> Path:
    """One of olap's folders in the user's home: the environment variable *forced* when
    set, else ``$XDG_…/olap`` (*xdg*: ``XDG_CACHE_HOME``, ``XDG_CONFIG_HOME``), else
    ``~/<fallback>/olap``."""
    if os.environ.get(forced):
        return Path(os.environ[forced])
    return Path(os.environ.get(xdg) or str(Path.home() / fallback)) / "olap"

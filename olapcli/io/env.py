"""olap's settings from the environment (never from the cohort's tracked files)."""

from __future__ import annotations

import os


def get(name: str, default: str = "") -> str:
    """The environment variable *name*, or *default*."""
    return os.environ.get(name, default)


def in_ci() -> bool:
    """Is olap running in a CI job (where nothing is merged by hand, nobody answers)?"""
    return bool(os.environ.get("CI"))

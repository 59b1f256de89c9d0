"""Files olap ships: the example cohort and the JSON Schemas of the file formats.

In an installed package (a wheel) they live inside it, as ``olapcli/sample_cohort``
and ``olapcli/schemas`` (pyproject.toml maps the repository's ``sample-cohort/`` and
``schema/`` there). In a source checkout (``pip install -e .``) they are read where
they are, at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_SOURCE = _PACKAGE.parent


def _first(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.is_dir()), None)


def sample_cohort() -> Path | None:
    """The example cohort, or None when this installation does not have it."""
    found = _first(_PACKAGE / "sample_cohort", _SOURCE / "sample-cohort")
    return found if found is not None and (found / "cohort.yaml").is_file() else None


def schemas() -> Path | None:
    """The folder of the JSON Schemas (``*.schema.json``)."""
    found = _first(_PACKAGE / "schemas", _SOURCE / "schema")
    return found if found is not None and any(found.glob("*.schema.json")) else None


def scaffold() -> Path:
    """The files ``olap init`` starts a cohort from."""
    return _PACKAGE / "init"

"""JSON Schemas of the file formats, generated from the models.

``python -m devtools.schemagen DIR…`` writes them; a test fails when the
committed copies (``schema/`` and ``sample-cohort/.olap/schema/``) are stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from olapcli.core.model import MODELS

TITLES = {
    "cohort": "olap — cohort.yaml",
    "referentiel": "olap — referentiel.yaml",
    "subjects": "olap — subjects.yaml",
    "resources": "olap — resources/<activity>.yaml",
    "learner": "olap — learners/<id>.yaml",
    "access": "olap — access.yaml",
}


def schemas() -> dict[str, str]:
    """file name -> JSON text, stable (sorted keys, final newline)."""
    from olapcli.core.derive.impact import MetricsReport

    out = {}
    report = MetricsReport.model_json_schema(mode="serialization")
    report["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    report["title"] = "olap — olap metrics --format json"
    out["metrics.schema.json"] = (
        json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    # one line of « olap export observatoire » (JSON Lines): the observatories' contract
    from olapcli.core.derive import observatoire

    out["observatoire.schema.json"] = (
        json.dumps(observatoire.schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )
    for kind, model in MODELS.items():
        schema = model.model_json_schema(by_alias=True, mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = TITLES[kind]
        out[f"{kind}.schema.json"] = (
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
    return out


def write(folder: Path) -> None:
    """Write every schema into *folder*."""
    from olapcli.io.files import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        atomic_write(folder / name, text)


if __name__ == "__main__":
    args = sys.argv[1:] or ["schema"]
    if any(arg.startswith("-") for arg in args):
        print(__doc__)
        sys.exit(0 if args in (["-h"], ["--help"]) else 2)
    for arg in args:
        write(Path(arg))

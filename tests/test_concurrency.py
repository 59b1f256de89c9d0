"""Ten trainers' ``olap need add`` at the same moment on one learner: all land."""

from __future__ import annotations

import os
import subprocess
import sys

from olapcli.io import yamlread as yamlfast
from tests.conftest import git


def test_ten_processes_at_once_all_land(cohort_repo):
    env = {**os.environ, "OLAP_NO_PROMPT": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "olapcli",
                "-C",
                str(cohort_repo),
                "need",
                "add",
                "lea-martin",
                "--activity",
                "6.3",
                "--by",
                "entreprise",
                "--identified",
                "2026-11-20",
                "--due",
                "2026-11-25",
                "--detail",
                f"Besoin numéro {i}",
                "--commit",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for i in range(10)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 10, outputs
    needs = yamlfast.load((cohort_repo / "learners/lea-martin.yaml").read_text())["needs"]
    details = sorted(n["detail"] for n in needs if n["detail"].startswith("Besoin numéro"))
    assert details == sorted(f"Besoin numéro {i}" for i in range(10))
    assert len({n["id"] for n in needs}) == len(needs)
    # ten commits, each with the one file, and a clean tree afterwards
    log = git(cohort_repo, "log", "--format=%s", "-n", "10").splitlines()
    assert len(log) == 10 and all(s.startswith("Besoin imminent pour lea-martin") for s in log)
    assert git(cohort_repo, "status", "--porcelain") == ""

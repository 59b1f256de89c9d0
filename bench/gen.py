"""Synthetic cohorts of N learners (~5 KB per learner file) for benchmarks.

``python -m bench.gen DIR N`` copies the sample cohort's core files and writes
N learners whose needs and evaluations follow the sample's shapes.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "sample-cohort"
ACTIVITIES = [
    "1.1",
    "2.2",
    "3.1",
    "3.2",
    "4.2",
    "5.2",
    "6.1",
    "6.2",
    "6.3",
    "7.1",
    "8.1",
    "9.2",
    "10.1",
    "11.2",
    "12.3",
]
DETAILS = [
    "Tarte au citron meringuée servie en volume le week-end : approvisionnement, dosage de la crème et surveillance de la cuisson.",
    "Banquet de 60 couverts : adapter la fiche du bœuf bourguignon prévue pour 8 personnes, commandes comprises.",
    "Réception de la livraison de surgelés du mardi : contrôle des températures et refus des cartons abîmés.",
    "Beurre blanc pour le dos de cabillaud de la nouvelle carte ; la sauce tranche pendant le coup de feu de midi.",
]
PERIODS = [
    ("2025-09-24", "2025-09-30"),
    ("2025-10-29", "2025-11-05"),
    ("2026-01-02", "2026-01-09"),
    ("2026-02-18", "2026-02-27"),
    ("2026-03-09", "2026-03-13"),
    ("2026-04-08", "2026-04-17"),
]


#: the share of learners whose file shows the method distorted, and how many problems
#: each has: a realistic cohort, where validate has thousands of warnings to print
TROUBLED = 0.57
KINDS = ("trainer-only", "unevaluated", "not-imminent", "no-period")


def learner(i: int, rng: random.Random) -> str:
    lid = f"alternant-{i:05d}"
    troubles: dict[int, str] = {}
    if rng.random() < TROUBLED:
        periods = rng.sample(range(len(PERIODS)), rng.choice([1, 2, 3, 3, 4, 4, 5]))
        troubles = {n: rng.choice(KINDS) for n in periods}
    lines = [
        "# yaml-language-server: $schema=../.olap/schema/learner.schema.json",
        f"id: {lid}",
        f"key: K-{i:08d}",
        'first_name: "Prénom"',
        f'last_name: "Nom {i}"',
        f"email: {lid}@mail.example",
        'phone: "+33 6 00 00 00 00"',
        "status: contract",
        "contract:",
        "  type: apprentissage",
        "  start: 2025-09-01",
        "  end: 2027-08-31",
        "company:",
        f'  name: "Restaurant {i}"',
        '  address: "Lyon"',
        "tutor:",
        '  first_name: "Tuteur"',
        f'  last_name: "Nom {i}"',
        f"  email: tuteur-{i}@resto.example",
        "trainers: [fdupont, aberger]",
        "plan:",
    ]
    for act in rng.sample(ACTIVITIES, 3):
        lines += [f'  "{act}":', "    ar: true", "    as: true", "    periods: [P1, P2]"]
    lines.append("needs:")
    evals = []
    for n, (ident, due) in enumerate(PERIODS):
        trouble = troubles.get(n)
        if trouble == "no-period":
            continue
        if trouble == "not-imminent":
            ident = (dt.date.fromisoformat(due) - dt.timedelta(days=30)).isoformat()
        act = rng.choice(ACTIVITIES)
        nid = f"b{ident.replace('-', '')}-{i:05d}{n:05d}"
        by = "formateur" if trouble == "trainer-only" else "entreprise, alternant"
        lines += [
            f"  - id: {nid}",
            f'    activity: "{act}"',
            "    practice: qualite",
            f"    marked_by: [{by}]",
            f"    identified: {ident}",
            f"    due: {due}",
            f'    detail: "{rng.choice(DETAILS)}"',
            "    resources:",
            f'      - "https://ressources.cfa.example/{act}/fiche"',
            "    steps:",
            f"      prepared: {ident}",
            f"      applied: {due}",
            f"      valorised: {due}",
            '      advantage: "Poste confié en autonomie le week-end suivant"',
        ]
        if trouble != "unevaluated":
            evals.append((nid, act, due))
    lines.append("evaluations:")
    for n, (nid, act, due) in enumerate(evals):
        lines += [
            f"  - id: e{due.replace('-', '')}-{i:05d}{n:05d}",
            f'    activity: "{act}"',
            f"    level: {rng.choice(['A', 'EC', 'R'])}",
            f"    date: {due}",
            "    by: entreprise",
            f"    need: {nid}",
            '    comment: "Évalué avec le tuteur lors de la visite en entreprise."',
        ]
    lines += [
        "outcomes:",
        "  exam: passed",
        f"  absence_hours: {rng.randint(0, 60)}",
        f"  satisfaction_learner: {rng.randint(1, 5)}",
    ]
    return "\n".join(lines) + "\n"


def generate(dest: Path, n: int, seed: int = 7) -> Path:
    """A cohort folder at *dest* with *n* synthetic learners."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("learners"))
    (dest / "learners").mkdir()
    rng = random.Random(seed)
    for i in range(n):
        (dest / "learners" / f"alternant-{i:05d}.yaml").write_text(
            learner(i, rng), encoding="utf-8"
        )
    return dest


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))

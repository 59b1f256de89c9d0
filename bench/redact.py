"""How long clearing names takes over a cohort's needs: ``python -m bench.redact [N]``.

Times what ``olap report`` and ``olap metrics`` do with the texts of a pseudonymous
annex: build the :class:`~olapcli.core.derive.redact.Redactor` of every learner, then
clear each need's detail and resources of the learners whose texts may hold a name.
The cohort is the benchmark's (:mod:`bench.gen`, N learners, 1,000 by default) with
varied French names, tutors and companies, and a share of texts that name someone
(any casing, with or without accents), give a phone number or an address, as
trainers write them. Only the public API of the briefs is used, so the same script
measures an earlier olap: ``PYTHONPATH=/path/to/old/tree python -m bench.redact``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FIRST = "Léa Chloé Inès Manon Jade Sarah Amina Zoé Noé Hugo Théo Lucas Enzo Kévin Yanis Nathan"
LAST = "Martin Dubois Moreau Lefèvre Haddad Rousseau López Fontaine Garnier Ndiaye Benali Le Goff"
FIRSTS, LASTS = FIRST.split(), [*LAST.split()[:-2], "Le Goff"]
SYLLABLES = "ma ri on le fè vre du bois gar nier rou sseau pe tit ben a li ha dad lo pez mo reau"


def surname(rng: random.Random) -> str:
    """A surname of the sample's, or one made up: a cohort's names are mostly distinct."""
    if rng.random() < 0.3:
        return rng.choice(LASTS)
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(2, 3))).title()


MENTIONS = [
    "Voir avec {tutor} avant le service ; ",
    "{first} a demandé à refaire l'exercice ; ",
    "Appeler {tutor} au 06 12 34 56 78 ; ",
    "Contact : {mail} ; ",
    "{FIRST} {LAST} seul(e) au passe ; ",
    "Chez {company}, ",
]


def briefs(n: int, share: float, seed: int = 7) -> list[Any]:
    """The briefs of *n* generated learners, *share* of their texts naming someone."""
    from bench.gen import generate
    from olapcli.core.derive import briefs as made
    from olapcli.core.model import Learner
    from olapcli.io.load import model_from_bytes

    rng = random.Random(seed)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "cohort", n, seed)
        for i, path in enumerate(sorted((root / "learners").glob("*.yaml"))):
            learner, _errs = model_from_bytes(path.read_bytes(), path.name, Learner)
            assert learner is not None
            first, last = rng.choice(FIRSTS), surname(rng)
            tutor = learner.tutor.model_copy(  # type: ignore[union-attr]
                update={"first_name": rng.choice(FIRSTS), "last_name": surname(rng)}
            )
            company = learner.company.model_copy(  # type: ignore[union-attr]
                update={"name": f"{rng.choice(['Brasserie', 'Bistrot'])} {surname(rng)}"}
            )
            needs = []
            for need in learner.needs:
                if rng.random() < share:
                    said = rng.choice(MENTIONS).format(
                        tutor=f"{tutor.first_name} {tutor.last_name}",
                        first=first.lower(),
                        FIRST=first.upper(),
                        LAST=last,
                        mail=f"{first.lower()}.{i} [at] mail.example",
                        company=company.name,
                    )
                    need = need.model_copy(update={"detail": said + need.detail})
                needs.append(need)
            learner = learner.model_copy(
                update={
                    "first_name": first,
                    "last_name": last,
                    "tutor": tutor,
                    "company": company,
                    "needs": needs,
                }
            )
            out.append(made.of(learner))
    return out


def _same(text: str) -> str:
    return text


def clear_all(everyone: list[Any]) -> int:
    """What the report's annex does with the texts; the number of characters out."""
    from olapcli.core.derive.redact import Redactor

    clear = Redactor(everyone)
    size = 0
    for learner in everyone:
        if hasattr(clear, "scrubber"):
            scrub = clear.scrubber(learner)
        else:  # an olap from before Redactor.scrubber, as its report and metrics did
            scrub = clear if clear.needed(learner) else _same
        for need in learner.needs:
            size += len(scrub(need.detail)) + sum(len(scrub(x)) for x in need.resources)
    return size


def main(n: int = 1000, runs: int = 7) -> None:
    for share in (0.0, 0.1):
        everyone = briefs(n, share)
        texts = sum(1 + len(need.resources) for b in everyone for need in b.needs)
        took = []
        for _ in range(runs):
            start = time.perf_counter()
            clear_all(everyone)
            took.append(time.perf_counter() - start)
        print(
            f"{n} learners, {texts} texts, {share:.0%} naming someone: "
            f"median {statistics.median(took) * 1000:.1f} ms "
            f"(min {min(took) * 1000:.1f}, max {max(took) * 1000:.1f}, {runs} runs)"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))

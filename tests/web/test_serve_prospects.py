"""The contract search on olap serve (issue 14, point 1): the learner and the trainers
record a company approached and its stages from the learner's page, one commit signed by
the person; the tutor sees the search but may not record it; a stage that cannot follow
is refused with nothing written; the trainer's dashboard shows the cohort's pipeline."""

from __future__ import annotations

import html

from olapcli.io import yamlread
from tests.conftest import git, snapshot
from tests.web.test_serve_access import commits, logged_in

KEVIN = "kevin-lopez"
PAGE = f"/alternants/{KEVIN}"


def prospects(root) -> list[dict]:
    text = (root / f"learners/{KEVIN}.yaml").read_text(encoding="utf-8")
    return yamlread.load(text)["prospects"]


def test_the_learner_records_a_company_and_its_stages(serve, olap):
    learner = logged_in(serve, KEVIN, "alternant")
    page = learner.get(PAGE)
    assert page.status == 200
    assert "La recherche de contrat" in page.text and "Bio des Pentes" in page.text
    assert f'action="{PAGE}/prospects"' in page.text
    # a closed prospect offers no next stage; an open one offers only what may follow
    assert f"{PAGE}/prospects/p-chez-paul/etape" not in page.text
    assert f"{PAGE}/prospects/p-le-bon-plat/etape" in page.text
    csrf = learner.csrf(PAGE)
    count = commits(serve.root)
    done = learner.post(
        f"{PAGE}/prospects",
        {"csrf": csrf, "name": "Épicerie Fine Roux", "town": "Lyon", "first_contact": "alternant",
         "date": "2026-11-16", "contact": "", "phone": "", "notes": ""},
    )  # fmt: skip
    assert done.status == 303 and done.headers["location"].endswith("#recherche"), done.text
    new = prospects(serve.root)[-1]
    assert new["id"] == "p-epicerie-fine-roux" and new["company"]["town"] == "Lyon"
    assert [(s["stage"], str(s["date"])) for s in new["stages"]] == [
        ("premier-appel", "2026-11-16")
    ]
    stage = learner.post(
        f"{PAGE}/prospects/p-epicerie-fine-roux/etape",
        {"csrf": csrf, "stage": "visite", "date": "2026-11-20"},
    )
    assert stage.status == 303, stage.text
    assert commits(serve.root) == count + 2
    author, subject = git(serve.root, "log", "-1", "--format=%an|%s").strip().split("|")
    assert author == "Kevin Lopez" and subject.endswith("(via olap serve)")
    assert prospects(serve.root)[-1]["stages"][-1]["stage"] == "visite"
    assert git(serve.root, "status", "--porcelain") == ""
    assert olap("-C", serve.root, "validate").code == 0
    again = learner.get(PAGE)
    assert "Épicerie Fine Roux" in again.text and "visite" in again.text


def test_refusals_write_nothing(serve):
    learner = logged_in(serve, KEVIN, "alternant")
    csrf = learner.csrf(PAGE)
    before = snapshot(serve.root)
    cases = [
        (f"{PAGE}/prospects/p-le-bon-plat/etape", {"stage": "rappel"}, "ne peut pas suivre"),
        (f"{PAGE}/prospects/p-le-bon-plat/etape", {"stage": "abandon"}, "raison"),
        (f"{PAGE}/prospects/p-le-bon-plat/etape", {"stage": "vol"}, "Étape inconnue"),
        (f"{PAGE}/prospects/p-le-bon-plat/etape", {"stage": "stage-propose", "date": "2026-12-30"}, "à venir"),
        (f"{PAGE}/prospects/p-le-bon-plat/etape", {"stage": "stage-propose", "date": "hier"}, "n'est pas une date"),
        (f"{PAGE}/prospects/p-nulle-part/etape", {"stage": "visite"}, "Pas de prospect"),
        (f"{PAGE}/prospects", {"name": " "}, "il manque --name"),
        (f"{PAGE}/prospects", {"name": "X" * 2001}, "2 000 caractères"),
    ]  # fmt: skip
    for path, form, message in cases:
        done = learner.post(path, {"csrf": csrf, **form})
        assert done.status == 400, (path, form, done.status)
        assert message in html.unescape(done.text), (form, done.text[-600:])
    assert learner.post(f"{PAGE}/prospects", {"csrf": "faux", "name": "Y"}).status in (400, 403)
    assert snapshot(serve.root) == before


def test_the_tutor_sees_the_search_but_does_not_record_it(serve):
    tutor = logged_in(serve, "lea-martin", "tuteur")
    csrf = tutor.csrf("/alternants/lea-martin")
    before = snapshot(serve.root)
    done = tutor.post("/alternants/lea-martin/prospects", {"csrf": csrf, "name": "Z"})
    assert done.status == 403
    assert snapshot(serve.root) == before
    # Léa is in contract, with no prospect: no search section on her page
    assert "La recherche de contrat" not in tutor.get("/alternants/lea-martin").text


def test_the_trainer_records_for_a_learner_and_sees_the_pipeline(serve):
    trainer = logged_in(serve, "*", "formateur", "kmessaoudi")
    csrf = trainer.csrf(PAGE)
    done = trainer.post(
        f"{PAGE}/prospects/p-le-bon-plat/etape",
        {"csrf": csrf, "stage": "stage", "date": "2026-11-16", "end": "2026-11-20"},
    )
    assert done.status == 303, done.text
    author = git(serve.root, "log", "-1", "--format=%an").strip()
    assert author == "Karim Messaoudi"
    stages = {p["id"]: p["stages"] for p in prospects(serve.root)}
    assert str(stages["p-le-bon-plat"][-1]["end"]) == "2026-11-20"
    board = trainer.get("/")
    assert board.status == 200 and 'id="recherche"' in board.text
    # Amina: three prospects, the furthest a contract; Kevin: three, an internship
    assert "contrat signé" in board.text and "stage" in board.text
    assert f'href="{PAGE}#recherche"' in board.text
    assert "abandonné : 3" in board.text  # Table d'Hélène, Pâtisserie du Parc, Chez Paul


def test_the_learner_writes_a_note_on_a_need_from_the_stay(serve):
    theo = "theo-garnier"
    need = "b20260323-0a2cd76669"
    learner = logged_in(serve, theo, "alternant")
    csrf = learner.csrf(f"/alternants/{theo}")
    count = commits(serve.root)
    done = learner.post(
        f"/alternants/{theo}/besoins/{need}/note",
        {"csrf": csrf, "text": "Commandes prises en anglais"},
    )
    assert done.status == 303, done.text
    text = (serve.root / f"learners/{theo}.yaml").read_text(encoding="utf-8")
    [mine] = [n for n in yamlread.load(text)["needs"] if n["id"] == need]
    assert mine["notes"][-1] == {
        "date": __import__("datetime").date(2026, 11, 21),
        "text": "Commandes prises en anglais",
    }
    assert commits(serve.root) == count + 1
    assert git(serve.root, "log", "-1", "--format=%an").strip() == "Théo Garnier"
    tutor = logged_in(serve, theo, "tuteur")
    tcsrf = tutor.csrf(f"/alternants/{theo}")
    before = snapshot(serve.root)
    assert (
        learner.post(f"/alternants/{theo}/besoins/{need}/note", {"csrf": csrf, "text": " "}).status
        == 400
    )
    assert (
        tutor.post(f"/alternants/{theo}/besoins/{need}/note", {"csrf": tcsrf, "text": "x"}).status
        == 403
    )
    assert snapshot(serve.root) == before

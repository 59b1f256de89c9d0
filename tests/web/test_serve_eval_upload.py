"""The tutor's evaluation through olap serve: A / EC / R with the sheet's criteria, one
commit signed by the tutor (or a trainer), refused to the apprentice and to another
learner's session, nothing written on a refusal."""

from __future__ import annotations

import pytest

from tests.conftest import git, snapshot
from tests.web.conftest import LEA
from tests.web.test_serve_access import OTHER, commits, logged_in, need_form

EVAL = f"/alternants/{LEA}/evaluations/nouvelle"


def learner_data(root, learner: str = LEA) -> dict:
    from olapcli.io import yamlread

    return yamlread.load((root / f"learners/{learner}.yaml").read_text(encoding="utf-8"))


def past_need(serve) -> str:
    """A need of Léa's due yesterday (signalled by the trainer), not yet evaluated."""
    trainer = logged_in(serve, LEA, "formateur", "fdupont")
    csrf = trainer.csrf(f"/alternants/{LEA}/besoins/nouveau")
    form = need_form(csrf, activity="1.1", identified="2026-11-15", due="2026-11-20")
    done = trainer.post(f"/alternants/{LEA}/besoins/nouveau", {**form, "confirmed": "1"})
    assert done.status == 303, done.text
    [need] = [n for n in learner_data(serve.root)["needs"] if n["activity"] == "1.1"]
    return str(need["id"])


def test_the_tutor_evaluates_a_past_need_with_the_sheet(serve, olap):
    need = past_need(serve)
    tutor = logged_in(serve, LEA, "tuteur")
    page = tutor.get(f"/alternants/{LEA}")
    assert f"/evaluations/nouvelle?cible=b:{need}" in page.text
    chooser = tutor.get(EVAL)
    assert chooser.status == 200 and f'value="b:{need}"' in chooser.text
    form = tutor.get(f"{EVAL}?cible=b:{need}")
    assert form.status == 200
    assert "Relève la température des produits frais et surgelés" in form.text
    assert 'name="criteria" value="4"' in form.text
    csrf = tutor.csrf(f"{EVAL}?cible=b:{need}")
    count = commits(serve.root)
    sent = {"csrf": csrf, "cible": f"b:{need}", "level": "grille", "comment": "Bien"}
    done = tutor.request(
        "POST",
        EVAL,
        body=(
            "&".join(f"{k}={v}" for k, v in sent.items()) + "&criteria=1&criteria=2&criteria=3"
        ).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status == 303, done.text
    assert commits(serve.root) == count + 1
    author, subject = git(serve.root, "log", "-1", "--format=%an <%ae>|%s").strip().split("|")
    assert author == "Marc Girard <marc.girard@brasserie-halles.example>"
    assert subject.endswith("(via olap serve)") and "1.1 = A" in subject
    [ev] = [e for e in learner_data(serve.root)["evaluations"] if e.get("need") == need]
    assert ev["level"] == "A" and ev["by"] == "entreprise" and ev["criteria"] == [1, 2, 3]
    assert ev["comment"] == "Bien"
    assert git(serve.root, "status", "--porcelain", "--", "learners").strip() == ""
    assert olap("-C", serve.root, "validate").code == 0
    page = tutor.get(f"/alternants/{LEA}")
    row = page.text.split("1.1 Réceptionner et contrôler une livraison</th>", 1)[1]
    assert row.split("</tr>", 1)[0].strip().endswith("<td>A</td>")
    assert f"cible=b:{need}" not in page.text  # answered: no longer open


def test_a_trainer_evaluates_any_activity_as_formateur(serve):
    trainer = logged_in(serve, LEA, "formateur", "fdupont")
    csrf = trainer.csrf(f"{EVAL}?cible=a:1.2")
    done = trainer.post(EVAL, {"csrf": csrf, "cible": "a:1.2", "level": "R"})
    assert done.status == 303, done.text
    [ev] = [e for e in learner_data(serve.root)["evaluations"] if e["activity"] == "1.2"]
    assert ev["level"] == "R" and ev["by"] == "formateur" and "need" not in ev
    assert git(serve.root, "log", "-1", "--format=%an").strip() == "François Dupont"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cible": "a:1.1"}, "level"),
        ({"cible": "a:1.1", "level": "B"}, "level"),
        ({"cible": "a:1.2", "level": "grille"}, "level"),  # 1.2 has no sheet
        ({"cible": "a:1.1", "level": "A", "criteria": "9"}, "criteria"),
        ({"cible": "a:1.1", "level": "A", "criteria": "x"}, "criteria"),
        ({"cible": "a:1.1", "level": "A", "comment": "x" * 2001}, "comment"),
    ],
)
def test_a_wrong_field_is_said_beside_it_and_nothing_is_written(serve, fields, field):
    tutor = logged_in(serve, LEA, "tuteur")
    csrf = tutor.csrf(f"{EVAL}?cible=a:1.1")
    before, count = snapshot(serve.root), commits(serve.root)
    done = tutor.post(EVAL, {"csrf": csrf, **fields})
    assert done.status == 422, done.text
    assert f'id="err-{field}"' in done.text
    assert snapshot(serve.root) == before and commits(serve.root) == count


def test_an_unknown_target_is_asked_again(serve):
    tutor = logged_in(serve, LEA, "tuteur")
    csrf = tutor.csrf(f"{EVAL}?cible=a:1.1")
    before = snapshot(serve.root)
    for cible in ("a:99.9", "b:b-nope", "x", "b:b20250924-98a45ddc0a"):  # the last: answered
        done = tutor.post(EVAL, {"csrf": csrf, "cible": cible, "level": "A"})
        assert done.status == 422 and 'id="err-cible"' in done.text, cible
    assert snapshot(serve.root) == before


def test_the_apprentice_cannot_evaluate(serve):
    learner = logged_in(serve, LEA, "alternant")
    csrf = learner.csrf(f"/alternants/{LEA}/besoins/nouveau")
    assert "/evaluations/nouvelle" not in learner.get(f"/alternants/{LEA}").text
    before = snapshot(serve.root)
    assert learner.get(EVAL).status == 403
    done = learner.post(EVAL, {"csrf": csrf, "cible": "a:1.2", "level": "A"})
    assert done.status == 403 and "Accès refusé" in done.text
    assert snapshot(serve.root) == before


def test_another_learners_session_cannot_evaluate(serve):
    tutor = logged_in(serve, OTHER, "tuteur")
    csrf = tutor.csrf(f"/alternants/{OTHER}/besoins/nouveau")
    before = snapshot(serve.root)
    assert tutor.get(EVAL).status == 403
    assert tutor.post(EVAL, {"csrf": csrf, "cible": "a:1.2", "level": "A"}).status == 403
    assert snapshot(serve.root) == before


@pytest.mark.parametrize("csrf", [None, "wrong"])
def test_an_evaluation_without_the_csrf_token_is_400(serve, csrf):
    tutor = logged_in(serve, LEA, "tuteur")
    tutor.csrf(f"{EVAL}?cible=a:1.2")
    before = snapshot(serve.root)
    form = {"cible": "a:1.2", "level": "A"} | ({"csrf": csrf} if csrf else {})
    assert tutor.post(EVAL, form).status == 400
    assert snapshot(serve.root) == before

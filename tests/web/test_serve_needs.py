"""Writing through olap serve: the need form (every field required, refusals beside each
field, the imminence warning to confirm), confirming a need, marking a step — each one
Git commit signed by the person who acted, with the e-mails queued as for the CLI."""

from __future__ import annotations

from tests.conftest import TODAY, git, snapshot
from tests.web.conftest import LEA, token
from tests.web.test_serve_access import LEA_NEED, commits, logged_in, need_form

FORM = f"/alternants/{LEA}/besoins/nouveau"


def pending(root) -> list[str]:
    box = root / "outbox" / "pending"
    return sorted(p.name for p in box.iterdir()) if box.is_dir() else []


def test_the_form_asks_every_field_grouped_by_referentiel_group(serve):
    client = logged_in(serve, LEA, "tuteur")
    page = client.get(FORM)
    assert page.status == 200
    assert '<optgroup label="6. ' in page.text and 'value="6.3"' in page.text
    assert f'name="identified" required value="{TODAY}"' in page.text
    for name in ("activity", "identified", "due", "detail", "practice", "csrf"):
        assert f'name="{name}"' in page.text


def test_a_missing_field_is_marked_and_nothing_is_written(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    before, count = snapshot(serve.root), commits(serve.root)
    done = client.post(FORM, need_form(csrf, detail=""))
    assert done.status == 422
    assert (
        'id="detail" name="detail" rows="4" maxlength="2000" required aria-invalid="true" '
        'aria-describedby="err-detail"' in done.text
    )
    assert '<p class="error" id="err-detail">Ce champ est obligatoire.</p>' in done.text
    assert "Crème citron" not in done.text or 'value="6.3" selected' in done.text  # kept
    assert snapshot(serve.root) == before and commits(serve.root) == count


def test_a_competence_of_the_grid_may_stand_for_the_activity(serve, olap):
    from olapcli.io import yamlread

    client = logged_in(serve, LEA, "tuteur")
    page = client.get(FORM)
    assert '<option value="theatre/client-mecontent">' in page.text  # by its title, per grid
    csrf = client.csrf(FORM)
    before, count = snapshot(serve.root), commits(serve.root)
    # a competence of another practice's grid, and neither activity nor competence
    for changes, field in (
        ({"competence": "mobilite/etrangers", "practice": "theatre"}, "competence"),
        ({"competence": "theatre/voler", "practice": "theatre"}, "competence"),
        ({"activity": ""}, "activity"),
    ):
        done = client.post(FORM, need_form(csrf, **changes))
        assert done.status == 422 and f'id="err-{field}"' in done.text, changes
    assert snapshot(serve.root) == before and commits(serve.root) == count
    form = need_form(
        csrf, activity="", practice="theatre", competence="theatre/client-mecontent",
        detail="Client pressé au comptoir, le midi",
    )  # fmt: skip
    assert client.post(FORM, form).status == 303
    assert commits(serve.root) == count + 1
    data = yamlread.load((serve.root / f"learners/{LEA}.yaml").read_text(encoding="utf-8"))
    new = data["needs"][-1]
    assert "activity" not in new and new["competence"] == "client-mecontent"
    assert new["practice"] == "theatre" and new["marked_by"] == ["entreprise"]
    assert olap("-C", serve.root, "validate").code == 0


def test_bad_dates_and_unknown_choices_are_refused_beside_their_field(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    before = snapshot(serve.root)
    done = client.post(FORM, need_form(csrf, activity="99.9", due="2026-11-01", practice="x"))
    assert done.status == 422
    for name in ("activity", "due", "practice"):
        assert f'id="err-{name}"' in done.text
    done = client.post(FORM, need_form(csrf, identified="demain"))
    assert 'id="err-identified"' in done.text and "AAAA-MM-JJ" in done.text
    done = client.post(FORM, need_form(csrf, detail="x" * 2001))  # the form says 2,000
    assert done.status == 422 and 'id="err-detail"' in done.text
    assert "caractères au plus." in done.text
    assert client.post(FORM, need_form(csrf, detail="x" * 2000)).status == 303
    assert snapshot(serve.root) != before  # the longest accepted is written


def test_a_need_is_one_commit_by_the_tutor_with_the_e_mails_queued(serve, olap):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    count = commits(serve.root)
    done = client.post(FORM, need_form(csrf))
    assert done.status == 303 and done.headers["location"] == f"/alternants/{LEA}?fait=1"
    assert commits(serve.root) == count + 1
    author, subject = git(serve.root, "log", "-1", "--format=%an <%ae>|%s").strip().split("|")
    assert author == "Marc Girard <marc.girard@brasserie-halles.example>"
    assert subject.endswith("(via olap serve)") and "6.3" in subject
    assert git(serve.root, "status", "--porcelain", "--", "learners").strip() == ""
    text = (serve.root / f"learners/{LEA}.yaml").read_text(encoding="utf-8")
    assert "marked_by: [entreprise]" in text and "Crème citron pour 40 parts" in text
    [mail] = [n for n in pending(serve.root) if n.endswith(".eml")]
    raw = (serve.root / "outbox" / "pending" / mail).read_text(encoding="utf-8")
    assert "marc.girard@brasserie-halles.example" in raw
    page = client.get(done.headers["location"])
    assert "Crème citron pour 40 parts" in page.text and "Enregistré." in page.text
    assert olap("-C", serve.root, "validate").code == 0
    log = olap("-C", serve.root, "log", LEA)  # the web's action, with its author
    assert log.code == 0 and "Marc Girard" in log.stdout.split("\n\n")[0], log.stdout
    assert "Crème citron pour 40 parts" in log.stdout


def need_of(root, detail: str) -> dict:
    from olapcli.io import yamlread

    data = yamlread.load((root / f"learners/{LEA}.yaml").read_text(encoding="utf-8"))
    [need] = [n for n in data["needs"] if n["detail"] == detail]
    return need


def test_each_role_marks_its_own_column(serve):
    for role, person, side, name in (
        ("alternant", None, "alternant", "Léa Martin"),
        ("formateur", "fdupont", "formateur", "François Dupont"),
    ):
        client = logged_in(serve, LEA, role, person)
        csrf = client.csrf(FORM)
        assert client.post(FORM, need_form(csrf, detail=f"par {role}")).status == 303
        assert need_of(serve.root, f"par {role}")["marked_by"] == [side]
        assert git(serve.root, "log", "-1", "--format=%an").strip() == name


def test_a_need_that_is_not_imminent_is_asked_to_be_confirmed(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    before = snapshot(serve.root)
    far = need_form(csrf, due="2027-03-01")
    asked = client.post(FORM, far)
    assert asked.status == 200 and "imminent" in asked.text and 'name="confirmed"' in asked.text
    assert snapshot(serve.root) == before
    done = client.post(FORM, {**far, "confirmed": "1"})
    assert done.status == 303
    assert "2027-03-01" in (serve.root / f"learners/{LEA}.yaml").read_text(encoding="utf-8")


def test_the_company_confirms_a_need_and_the_learner_marks_a_step(serve):
    trainer = logged_in(serve, LEA, "formateur", "fdupont")
    csrf = trainer.csrf(FORM)
    assert trainer.post(FORM, need_form(csrf, detail="à confirmer")).status == 303
    need = need_of(serve.root, "à confirmer")["id"]
    tutor = logged_in(serve, LEA, "tuteur")
    page = tutor.get(f"/alternants/{LEA}")
    assert f"/besoins/{need}/confirmer" in page.text
    csrf = tutor.csrf(FORM)
    done = tutor.post(f"/alternants/{LEA}/besoins/{need}/confirmer", {"csrf": csrf})
    assert done.status == 303
    text = (serve.root / f"learners/{LEA}.yaml").read_text(encoding="utf-8")
    assert "marked_by: [formateur, entreprise]" in text
    assert git(serve.root, "log", "-1", "--format=%an").strip() == "Marc Girard"
    learner = logged_in(serve, LEA, "alternant")
    csrf = learner.csrf(FORM)
    done = learner.post(
        f"/alternants/{LEA}/besoins/{need}/etape", {"csrf": csrf, "step": "applied"}
    )
    assert done.status == 303
    text = (serve.root / f"learners/{LEA}.yaml").read_text(encoding="utf-8")
    assert f"applied: {{date: {TODAY}, by: alternant}}" in text  # who did it: their side
    assert git(serve.root, "log", "-1", "--format=%an|%s").strip().startswith("Léa Martin|")
    wrong = learner.post(f"/alternants/{LEA}/besoins/{need}/etape", {"csrf": csrf, "step": "x"})
    assert wrong.status == 400 and "Étape inconnue" in wrong.text


def test_the_tutor_values_a_need_with_the_advantage_obtained(serve, olap):
    """Valorised with the advantage the apprentice earned (a bonus, a new task): the same
    use-case as ``olap need step --valorised --advantage``, one commit by the tutor."""
    tutor = logged_in(serve, LEA, "tuteur")
    csrf = tutor.csrf(FORM)
    assert tutor.post(FORM, need_form(csrf, detail="à valoriser")).status == 303
    need = need_of(serve.root, "à valoriser")["id"]
    page = tutor.get(f"/alternants/{LEA}")
    assert f'id="adv-{need}" name="advantage" maxlength="2000"' in page.text
    step = f"/alternants/{LEA}/besoins/{need}/etape"
    before = snapshot(serve.root)
    early = tutor.post(step, {"csrf": csrf, "step": "applied", "advantage": "prime"})
    assert early.status == 400 and "valorisé" in early.text  # only with « valorised »
    long = tutor.post(step, {"csrf": csrf, "step": "valorised", "advantage": "x" * 2001})
    assert long.status == 400 and snapshot(serve.root) == before
    done = tutor.post(step, {"csrf": csrf, "step": "valorised", "advantage": "Prime de 50 €"})
    assert done.status == 303
    shown = need_of(serve.root, "à valoriser")
    assert shown["steps"]["advantage"] == "Prime de 50 €"
    assert {k: str(v) for k, v in shown["steps"]["valorised"].items()} == {
        "date": TODAY,
        "by": "entreprise",
    }
    assert git(serve.root, "log", "-1", "--format=%an").strip() == "Marc Girard"
    assert "Avantage obtenu : Prime de 50 €" in tutor.get(f"/alternants/{LEA}").text
    assert olap("-C", serve.root, "validate").code == 0


def test_an_unknown_need_is_a_french_400(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    before = snapshot(serve.root)
    done = client.post(f"/alternants/{LEA}/besoins/b-nope/confirmer", {"csrf": csrf})
    assert done.status == 400 and "b-nope" in done.text
    assert snapshot(serve.root) == before
    assert LEA_NEED  # the sample's need exists: the scoping tests post to it


def test_the_dashboard_shows_the_new_need(serve):
    tutor = logged_in(serve, LEA, "tuteur")
    csrf = tutor.csrf(FORM)
    assert tutor.post(FORM, need_form(csrf, detail="Pour le tableau de bord")).status == 303
    board = logged_in(serve, "*", "formateur", "fdupont").get("/")
    week = board.text.split("Échéance cette semaine", 1)[1].split("</table>", 1)[0]
    assert "Pour le tableau de bord" in week and f'href="/alternants/{LEA}"' in week
    assert token  # the links of the tests are granted like olap access grant does


def test_a_learner_file_with_errors_is_said_in_french_and_nothing_is_written(serve):
    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    path = serve.root / f"learners/{LEA}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: contract", "status: ???"))
    before, count = snapshot(serve.root), commits(serve.root)
    page = client.get(f"/alternants/{LEA}")
    assert page.status == 409 and "Impossible pour l&#39;instant" in page.text
    assert "erreurs" in page.text and "Traceback" not in page.text
    done = client.post(FORM, need_form(csrf))
    assert done.status == 409 and "olap validate" in done.text
    assert snapshot(serve.root) == before and commits(serve.root) == count


def test_a_web_write_and_a_cli_write_at_the_same_moment_both_land(serve):
    import subprocess
    import sys
    import threading

    from tests.conftest import need_args

    client = logged_in(serve, LEA, "tuteur")
    csrf = client.csrf(FORM)
    count = commits(serve.root)
    statuses: list[int] = []

    def web() -> None:
        for i in range(3):
            statuses.append(client.post(FORM, need_form(csrf, detail=f"web {i}")).status)

    thread = threading.Thread(target=web)
    thread.start()
    command = [sys.executable, "-m", "olapcli", "-C", str(serve.root), "need", "add", LEA]
    for i in range(3):
        done = subprocess.run(
            [*command, *need_args(f"cli {i}"), "--commit"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    thread.join(60)
    assert statuses == [303, 303, 303]
    for detail in ("web 0", "web 1", "web 2", "cli 0", "cli 1", "cli 2"):
        assert need_of(serve.root, detail)
    assert commits(serve.root) == count + 6
    assert git(serve.root, "status", "--porcelain", "--", "learners").strip() == ""


def test_the_form_finds_an_activity_by_words_of_its_title(serve):
    """The search box of the form (no JavaScript: a GET that narrows the list): every
    word, whatever its case and accents; nothing found keeps the whole list."""
    import re

    client = logged_in(serve, LEA, "tuteur")

    def options(text: str) -> list[str]:  # the activities' list alone
        listed = text.split('<select id="activity"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="([^"]+)"', listed)

    whole = options(client.get(FORM).text)
    assert len(whole) > 20
    one = client.get(FORM + "?q=DESSERT+assiette")
    assert options(one.text) == ["6.3"] and 'value="6.3" selected' in one.text
    assert "1 activité(s) pour « DESSERT assiette »" in one.text
    some = client.get(FORM + "?q=eplucher")  # « Éplucher »
    assert "3.1" in options(some.text) and len(options(some.text)) < len(whole)
    none = client.get(FORM + "?q=%3Cscript%3Ezzz")
    assert options(none.text) == whole and "Aucune activité pour « &lt;script&gt;zzz »" in none.text
    assert "<script>" not in none.text


def test_any_step_of_the_cycle_is_marked_with_the_side_that_did_it(serve):
    """Issue 14, point 3: the learner's page shows where each open need stands in its
    cycle, and marks any of the twelve steps as done today by the person's side."""
    trainer = logged_in(serve, "*", "formateur", "fdupont")
    csrf = trainer.csrf(FORM)
    assert trainer.post(FORM, need_form(csrf, detail="cycle suivi")).status == 303
    need = need_of(serve.root, "cycle suivi")["id"]
    page = trainer.get(f"/alternants/{LEA}").text
    assert "aucune étape notée" in page
    assert f'<select id="step-{need}" name="step">' in page
    assert '<option value="technical">7. cours technique</option>' in page
    step = f"/alternants/{LEA}/besoins/{need}/etape"
    assert trainer.post(step, {"csrf": csrf, "step": "technical"}).status == 303
    steps = need_of(serve.root, "cycle suivi")["steps"]
    assert {k: str(v) for k, v in steps["technical"].items()} == {
        "date": TODAY,
        "by": "formateur",
    }
    assert git(serve.root, "log", "-1", "--format=%s").strip().endswith("(via olap serve)")
    page = trainer.get(f"/alternants/{LEA}").text
    assert "étape 7/12 : cours technique" in page
    assert f"<li>cours technique : {TODAY} (formateur)</li>" in page
    # a step already done is no longer offered; an unknown one is refused, nothing written
    assert '<option value="technical">' not in page[page.index(f'id="step-{need}"') :][:2000]
    before = snapshot(serve.root)
    wrong = trainer.post(step, {"csrf": csrf, "step": "advantage"})
    assert wrong.status == 400 and snapshot(serve.root) == before

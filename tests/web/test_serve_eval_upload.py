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


def test_the_tutor_evaluates_a_competence_on_the_return(serve, olap):
    """A theatre need that names a competence of the grid and no sub-activity: offered
    by its competence's title, evaluated without a sheet, written without activity."""
    added = olap(
        "-C", serve.root, "need", "add", LEA, "--by", "entreprise", "--identified",
        "2026-11-15", "--due", "2026-11-20", "--detail", "Client pressé au comptoir",
        "--practice", "theatre", "--competence", "client-mecontent", "--commit",
    )  # fmt: skip
    assert added.code == 0, added.output
    [need] = [n["id"] for n in learner_data(serve.root)["needs"] if "activity" not in n]
    tutor = logged_in(serve, LEA, "tuteur")
    chooser = tutor.get(EVAL)
    option = chooser.text.split(f'value="b:{need}">', 1)[1].split("</option>", 1)[0]
    assert option.startswith("Rester calme et à l&#39;écoute")  # the competence's title
    form = tutor.get(f"{EVAL}?cible=b:{need}")
    assert form.status == 200 and 'name="criteria"' not in form.text
    csrf = tutor.csrf(f"{EVAL}?cible=b:{need}")
    done = tutor.post(EVAL, {"csrf": csrf, "cible": f"b:{need}", "level": "EC"})
    assert done.status == 303, done.text
    [ev] = [e for e in learner_data(serve.root)["evaluations"] if e.get("need") == need]
    assert "activity" not in ev and ev["level"] == "EC" and ev["by"] == "entreprise"
    assert olap("-C", serve.root, "validate").code == 0


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


# --- files deposited in the own folder -------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
UPLOAD = f"/alternants/{LEA}/fichiers"
FOLDER = f"learners/{LEA}/files"


def multipart(fields: dict[str, str], filename: str | None, data: bytes) -> tuple[bytes, str]:
    boundary = "olapBOUNDARY7e3f"
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    if filename is not None:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        parts.append(head.encode("utf-8") + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def send(client, filename: str | None, data: bytes, csrf: str | None = "", path: str = UPLOAD):
    if csrf == "":
        csrf = client.csrf(f"/alternants/{LEA}")
    fields = {"csrf": csrf} if csrf is not None else {}
    body, kind = multipart(fields, filename, data)
    return client.request("POST", path, body=body, headers={"Content-Type": kind})


def deposited(root) -> list[str]:
    folder = root / FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_the_apprentice_deposits_a_pdf_in_one_commit(serve, olap):
    learner = logged_in(serve, LEA, "alternant")
    count = commits(serve.root)
    done = send(learner, "Fiche technique été.pdf", PDF)
    assert done.status == 303, done.text
    assert deposited(serve.root) == ["fiche-technique-ete.pdf"]
    assert (serve.root / FOLDER / "fiche-technique-ete.pdf").read_bytes() == PDF
    assert commits(serve.root) == count + 1
    author, subject = git(serve.root, "log", "-1", "--format=%an|%s").strip().split("|")
    assert author == "Léa Martin" and subject.endswith("(via olap serve)")
    assert git(serve.root, "ls-files", FOLDER).split() == [f"{FOLDER}/fiche-technique-ete.pdf"]
    assert git(serve.root, "status", "--porcelain").strip() == ""
    assert olap("-C", serve.root, "validate").code == 0
    page = learner.get(f"/alternants/{LEA}")
    assert f'href="/alternants/{LEA}/fichiers/fiche-technique-ete.pdf"' in page.text
    got = learner.request("GET", f"/alternants/{LEA}/fichiers/fiche-technique-ete.pdf")
    assert got.status == 200 and got.text.encode() == PDF
    assert got.headers["content-disposition"] == 'attachment; filename="fiche-technique-ete.pdf"'
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-type"] == "application/octet-stream"
    # the same name again: a new file beside it, never a replacement
    assert send(learner, "fiche technique ete.pdf", PDF + b"2").status == 303
    assert deposited(serve.root) == ["fiche-technique-ete-2.pdf", "fiche-technique-ete.pdf"]
    assert (serve.root / FOLDER / "fiche-technique-ete.pdf").read_bytes() == PDF


def test_the_tutor_and_a_trainer_may_deposit_too(serve):
    for role, person, name in (("tuteur", None, "Marc Girard"), ("formateur", "fdupont", None)):
        client = logged_in(serve, LEA, role, person)
        assert send(client, f"{role}.png", PNG).status == 303
        if name:
            assert git(serve.root, "log", "-1", "--format=%an").strip() == name
    assert deposited(serve.root) == ["formateur.png", "tuteur.png"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 40),  # a ZIP that is no office document
        ("vide.pdf", b"MZ\x90\x00"),
    ],
)
def test_a_file_whose_content_is_not_accepted_is_415_and_nothing_is_written(serve, name, data):
    learner = logged_in(serve, LEA, "alternant")
    before, count = snapshot(serve.root), commits(serve.root)
    done = send(learner, name, data)
    assert done.status == 415 and "Ce type de fichier n&#39;est pas accepté" in done.text
    assert snapshot(serve.root) == before and commits(serve.root) == count


def test_an_office_document_is_recognised_by_its_content():
    import io
    import zipfile

    from olapcli.app.uploads import kind_of

    made = io.BytesIO()
    with zipfile.ZipFile(made, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert kind_of(made.getvalue()) == "docx"
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert kind_of(odt.getvalue()) == "odt"
    assert kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "xls") == "xls"
    assert kind_of(b"\xff\xd8\xff\xe0") == "jpg"
    assert kind_of(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert kind_of(b"GIF89a") == "gif"


def test_an_oversized_file_is_413_and_the_server_goes_on(serve):
    from olapcli.app.uploads import MAX_FILE

    learner = logged_in(serve, LEA, "alternant")
    before = snapshot(serve.root)
    done = send(learner, "gros.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE)
    assert done.status == 413 and "trop" in done.text.lower()
    assert snapshot(serve.root) == before
    assert learner.get(f"/alternants/{LEA}").status == 200
    assert send(learner, "petit.pdf", PDF).status == 303
    # well past the 64 KB of the other forms, under the file's cap: kept
    assert send(learner, "moyen.pdf", PDF + b"0" * 2_000_000).status == 303
    assert deposited(serve.root) == ["moyen.pdf", "petit.pdf"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../cohort.yaml", "cohort.pdf"),
        (".git/config", "config.pdf"),
        # a quoted header value takes « \\x » for « x »: the server gets « ....learnerschloe… »
        ("..\\..\\learners\\chloe-dubois.yaml", "learnerschloe-dubois.pdf"),
        ("bad\x01\x1bname\x7f.pdf", "bad-name.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("é" * 300 + ".pdf", "e" * 80 + ".pdf"),
        ("日本語.pdf", "fichier.pdf"),
        ("a" * 500 + ".pdf", "a" * 80 + ".pdf"),
    ],
)
def test_a_hostile_name_becomes_a_safe_name_inside_the_folder(serve, given, kept):
    learner = logged_in(serve, LEA, "alternant")
    before = snapshot(serve.root)
    done = send(learner, given, PDF)
    assert done.status == 303, done.text
    after = snapshot(serve.root)
    assert sorted(set(after) - set(before)) == [f"{FOLDER}/{kept}"]
    assert all(after[k] == v for k, v in before.items())


def test_a_symbolic_link_in_the_way_is_refused(serve, tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (serve.root / f"learners/{LEA}").mkdir(exist_ok=True)
    (serve.root / FOLDER).symlink_to(outside, target_is_directory=True)
    (outside / "secret.pdf").write_bytes(PDF)
    learner = logged_in(serve, LEA, "alternant")
    done = send(learner, "doc.pdf", PDF)
    assert done.status == 409 and "lien symbolique" in done.text
    assert sorted(p.name for p in outside.iterdir()) == ["secret.pdf"]
    assert "secret.pdf" not in learner.get(f"/alternants/{LEA}").text
    assert learner.get(f"/alternants/{LEA}/fichiers/secret.pdf").status == 404


def test_a_link_to_a_file_is_never_served(serve, tmp_path):
    (serve.root / FOLDER).mkdir(parents=True)
    (serve.root / FOLDER / "cohorte.pdf").symlink_to(serve.root / "cohort.yaml")
    learner = logged_in(serve, LEA, "alternant")
    assert learner.get(f"/alternants/{LEA}/fichiers/cohorte.pdf").status == 404
    assert learner.get(f"/alternants/{LEA}/fichiers/..%2Fcohort.yaml").status == 404
    assert "cohorte.pdf" not in learner.get(f"/alternants/{LEA}").text
    # a deposit under that name does not write through the link
    assert send(learner, "cohorte.pdf", PDF).status == 303
    assert deposited(serve.root) == ["cohorte-2.pdf", "cohorte.pdf"]
    assert (serve.root / "cohort.yaml").read_bytes()[:1] != b"%"


def test_another_learners_session_cannot_deposit_nor_download(serve):
    lea = logged_in(serve, LEA, "alternant")
    assert send(lea, "a-moi.pdf", PDF).status == 303
    other = logged_in(serve, OTHER, "alternant")
    csrf = other.csrf(f"/alternants/{OTHER}")
    before = snapshot(serve.root)
    assert send(other, "intrus.pdf", PDF, csrf=csrf).status == 403
    assert other.get(f"/alternants/{LEA}/fichiers/a-moi.pdf").status == 403
    assert snapshot(serve.root) == before
    nobody = serve.client()
    assert nobody.get(f"/alternants/{LEA}/fichiers/a-moi.pdf").status == 403


@pytest.mark.parametrize("csrf", [None, "wrong"])
def test_a_deposit_without_the_csrf_token_is_400(serve, csrf):
    learner = logged_in(serve, LEA, "alternant")
    learner.csrf(f"/alternants/{LEA}")
    before = snapshot(serve.root)
    assert send(learner, "doc.pdf", PDF, csrf=csrf).status == 400
    assert snapshot(serve.root) == before


def test_a_deposit_without_a_file_is_400(serve):
    learner = logged_in(serve, LEA, "alternant")
    before = snapshot(serve.root)
    assert send(learner, None, b"").status == 400
    assert send(learner, "vide.pdf", b"").status == 400
    assert snapshot(serve.root) == before

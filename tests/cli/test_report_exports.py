"""``olap report`` over files of ``olap export observatoire`` (issue 13, point 8): the
same figures as the report made from the cohort folder, several exports concatenated
into one file, a mix of files and folders, and every bad file refused."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from tests import search_ref
from tests.conftest import edit, make_repo

NAMES = ("Martin", "Léa", "lea-martin", "@mail.example")


def _export(olap, root: Path, out: Path) -> list[dict]:
    result = olap("-C", root, "export", "observatoire", "--out", out)
    assert result.code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _section(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at : page.index(end, at + len(start))]


def _tbody(page: str, caption: str) -> str:
    at = page.index(caption.replace("'", "&#39;"))
    return page[page.index("<tbody>", at) : page.index("</tbody>", at)]


def _other_cohort(cohort_repo: Path, tmp_path: Path) -> Path:
    """A second cohort: the sample with other keys and another training action."""
    other = tmp_path / "bp"
    shutil.copytree(cohort_repo, other, ignore=shutil.ignore_patterns(".git"))
    text = (other / "cohort.yaml").read_text(encoding="utf-8")
    text = text.replace('name: "CAP Cuisine"', 'name: "BP <b>Boulangerie</b>"')
    (other / "cohort.yaml").write_text(text.replace("RNCP37859", "RNCP12345"), encoding="utf-8")
    for path in (other / "learners").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^key: K-", "key: B-", text, flags=re.M), encoding="utf-8")
    return make_repo(other)


def test_the_figures_are_those_of_the_folder_report(olap, cohort_repo, tmp_path):
    _export(olap, cohort_repo, tmp_path / "a.jsonl")
    from_file, from_folder = tmp_path / "f.html", tmp_path / "d.html"
    result = olap("report", tmp_path / "a.jsonl", "--out", from_file)
    assert result.code == 0, result.output
    assert olap("-C", cohort_repo, "report", "--out", from_folder).code == 0
    file_page = from_file.read_text(encoding="utf-8")
    folder_page = from_folder.read_text(encoding="utf-8")
    # the Annexe 7 rows, the quality per learner, the meetings, the paths out, the words
    for caption in (
        "une ligne par alternant (— : inconnu)",
        "Qualité de l'anticipation par alternant",
        "Rencontres avec l'entreprise sur les douze derniers mois",
        "Nombre d'alternants par type de sortie",
    ):
        assert _tbody(file_page, caption) == _tbody(folder_page, caption), caption
    said = "<h2>Ce que disent les chiffres</h2>"
    assert _section(file_page, said, "<h2>") == _section(folder_page, said, "<h2>")
    # the label in words, the same: what it asks, the share meeting it, who falls short
    label = re.compile(
        r"Le label demande [^<]*|\d+\W% des alternants jugés y satisfont : le label [^<.]*"
        r"|<li>K-[A-Z0-9]+ : \d+ besoins? manquants? pour [^<]*</li>"
    )
    words = label.findall(html.unescape(file_page))
    assert words == label.findall(html.unescape(folder_page))
    assert any("Qualité de l'alternance" in w for w in words)  # practices by their labels
    figures = json.loads(olap("-C", cohort_repo, "metrics", "--format", "json").stdout)
    assert sum(w.startswith("<li>") for w in words) == len(figures["label"]["short"])
    counted = sum(learner["total"] for learner in figures["learners"])  # the needs counted
    actions = _tbody(file_page, "Les actions de formation et leurs chiffres")
    assert f'<td class="center">{counted}</td>' in actions
    # what the rows do not carry is left out, and the page says why
    assert file_page.count('class="left-out"') == 4
    assert "Annexe : les besoins anticipés" in file_page
    assert "<h3>" not in _section(file_page, "Annexe : les besoins", "</main>")
    assert not any(name in file_page for name in NAMES)


def test_concatenated_exports_and_a_mix_of_files_and_folders(olap, cohort_repo, tmp_path):
    other = _other_cohort(cohort_repo, tmp_path)
    a = _export(olap, cohort_repo, tmp_path / "a.jsonl")
    b = _export(olap, other, tmp_path / "b.jsonl")
    joined = tmp_path / "all.jsonl"
    joined.write_bytes((tmp_path / "a.jsonl").read_bytes() + (tmp_path / "b.jsonl").read_bytes())
    pages = []
    for inputs in ([joined], [tmp_path / "a.jsonl", other], [cohort_repo, tmp_path / "b.jsonl"]):
        out = tmp_path / "r.html"
        result = olap("report", *inputs, "--out", out)
        assert result.code == 0, result.output
        page = out.read_text(encoding="utf-8")
        pages.append(_tbody(page, "une ligne par alternant (— : inconnu)"))
        body = pages[-1]
        assert body.count("<tr>") == len(a) + len(b) == 28
        assert "BP &lt;b&gt;Boulangerie&lt;/b&gt;" in page and "<b>Boulangerie" not in page
        assert "RNCP12345" in page and "RNCP37859" in page
    assert pages[0] == pages[1] == pages[2]


SEARCH = "La recherche de contrat, une ligne par alternant ayant approché une entreprise"
NOT_SHOWN = "La recherche de contrat de {n} alternant(s) n'est pas montrée"


def _search_said(page: str, found: dict) -> str:
    """The report's sentence on the search of *found* (search_ref's cohort figures)."""
    said = (
        f"Entreprises contactées : {found['prospects']} ; besoins recueillis auprès d'elles : "
        f"{found['needs']} ; stages obtenus : {found['internships']} ; contrats obtenus : "
        f"{found['contracts']}."
    )
    median = search_ref.median_days(found)
    if median is not None:
        days = f"{median:.1f}".removesuffix(".0").replace(".", ",")
        said += f" Délai médian du premier contact au contrat : {days} jours."
    return said


def test_the_contract_search_from_the_rows(olap, cohort_repo, tmp_path):
    other = _other_cohort(cohort_repo, tmp_path)  # Amina signs 40 days after, not 20
    signed = "stage: contrat-signe\n        date: 2025-10-"
    edit(other / "learners/amina-traore.yaml", signed + "06", signed + "26")
    _export(olap, cohort_repo, tmp_path / "a.jsonl")
    _export(olap, other, tmp_path / "b.jsonl")
    from_files, from_folders = tmp_path / "f.html", tmp_path / "d.html"
    assert olap("report", tmp_path / "a.jsonl", tmp_path / "b.jsonl", "--out", from_files).code == 0
    assert olap("report", cohort_repo, other, "--out", from_folders).code == 0
    page = from_files.read_text(encoding="utf-8")
    # the same rows as the report made from the folders, and the figures of the learner
    # files recounted: the two cohorts' counts added up, the median over every contract
    assert _tbody(page, SEARCH) == _tbody(from_folders.read_text(encoding="utf-8"), SEARCH)
    a, b = search_ref.by_hand(cohort_repo), search_ref.by_hand(other)
    both = search_ref.total({**a, **b})
    assert both["days"] == [20, 40] and both["contracts"] == 2
    assert _search_said(html.unescape(page), both) in html.unescape(page)
    searching = [k for k, f in {**a, **b}.items() if f["prospects"]]  # each cohort in turn
    assert re.findall(r"<tr><th scope=\"row\">([KB]-\w+)</th>", _tbody(page, SEARCH)) == searching
    assert "La recherche de contrat de " not in html.unescape(page)  # none said not shown


def test_a_version_1_export_is_read_without_its_search(olap, cohort_repo, tmp_path):
    other = _other_cohort(cohort_repo, tmp_path)
    rows = _export(olap, cohort_repo, tmp_path / "a.jsonl")
    old = tmp_path / "old.jsonl"  # as olap wrote it before the search was exported
    lines = [{**r, "format": "olap-observatoire/1"} for r in rows]
    old.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = tmp_path / "r.html"
    assert olap("report", old, "--out", out).code == 2  # version 1 has no « search »
    for r in lines:
        del r["search"]
    old.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    result = olap("report", old, "--out", out)
    assert result.code == 0, result.output
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "La recherche de contrat" not in page.replace(NOT_SHOWN.format(n=14), "")
    assert page.count('class="left-out"') == 5
    # with a file of version 2: its search shown, the other's said not shown
    _export(olap, other, tmp_path / "b.jsonl")
    result = olap("report", old, tmp_path / "b.jsonl", "--out", out)
    assert result.code == 0, result.output
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert NOT_SHOWN.format(n=14) in page
    assert _search_said(page, search_ref.total(search_ref.by_hand(other))) in page


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("bonjour", "export-not-jsonl"),
        ("[1, 2]", "export-not-jsonl"),
        ('{"format": "olap-observatoire/3"}', "export-format"),
        ('{"key": "K-1234"}', "export-format"),
        ("ROW|extra", "export-schema"),
        ("ROW|total", "export-inconsistent"),
        ("ROW|contracts", "export-inconsistent"),
        ("ROW|missing", "export-schema"),
        ("ROW|formula", "export-schema"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(olap, refused, cohort_repo, tmp_path, line, code):
    rows = _export(olap, cohort_repo, tmp_path / "a.jsonl")
    if line.startswith("ROW|"):
        row = dict(rows[1])
        change = line.split("|")[1]
        if change == "extra":
            row["name"] = "Léa Martin"
        elif change == "total":
            row["total"] += 1
        elif change == "contracts":  # a contract without its days
            row["search"] = {**row["search"], "contracts": row["search"]["contracts"] + 1}
        elif change == "missing":
            del row["outcomes"]
        else:
            row["level"] = "CAP\x1b[31m"
        line = json.dumps(row)
    lines = [json.dumps(r) for r in rows]
    lines[2] = line
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = refused(tmp_path, "report", bad, "--out", out)
    assert f"{bad}:3: erreur [{code}]" in result.stderr
    assert "n'est pas un export valide pour l'observatoire" in result.stderr
    assert not out.exists()


def test_other_bad_inputs_are_refused(olap, refused, cohort_repo, tmp_path):
    _export(olap, cohort_repo, tmp_path / "a.jsonl")
    a, out = tmp_path / "a.jsonl", tmp_path / "r.html"
    (tmp_path / "latin1.jsonl").write_bytes("clé".encode("latin-1"))
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    for name, code in (("latin1.jsonl", "export-encoding"), ("empty.jsonl", "export-empty")):
        result = refused(tmp_path, "report", tmp_path / name, "--out", out)
        assert f"[{code}]" in result.stderr
    # the same export twice, given twice or concatenated with itself
    (tmp_path / "twice.jsonl").write_bytes(a.read_bytes() * 2)
    for inputs in ([a, a], [tmp_path / "twice.jsonl"], [a, cohort_repo]):
        result = refused(tmp_path, "report", *inputs, "--out", out)
        assert "[export-duplicate-key]" in result.stderr and "K-" in result.stderr
    # names, and a period, cannot come from an export
    for option in (["--identify"], ["--from", "2025-10-01"]):
        result = refused(tmp_path, "report", a, *option, "--out", out)
        assert "export" in result.stderr
    assert not out.exists()


def test_report_from_exports_in_chromium_axe_and_vnu(olap, cohort_repo, tmp_path):
    """The page made from exports is as valid and accessible as the folder's."""
    import subprocess

    from tests.test_browser import AXE, CHROMIUM, VNU, _need

    _need(shutil.which("chromium") is not None or CHROMIUM, "chromium")
    _export(olap, cohort_repo, tmp_path / "a.jsonl")
    out = tmp_path / "rapport.html"
    assert olap("report", tmp_path / "a.jsonl", "--out", out).code == 0
    sync_api = pytest.importorskip("playwright.sync_api")
    _need(AXE.exists(), "axe-core (npm ci)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.wait_for_load_state("networkidle")
        assert requests == [out.as_uri()]
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [
            v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")
        ] == []
        browser.close()
    _need(VNU.exists(), "vnu-jar (npm ci)")
    proc = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(out)],
        capture_output=True,
        text=True,
    )
    assert [m for m in json.loads(proc.stderr)["messages"] if m.get("type") == "error"] == []

"""access.yaml across clones: two trainers who each give a personal link keep both after
a merge; a link revoked in one clone stays revoked whatever the other did to it; a real
clash is left as conflict markers that olap validate reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from olapcli import mergedriver
from olapcli.app import access
from tests.conftest import edit, run_git
from tests.test_merge import clones  # noqa: F401 (the fixture: two clones set up)

ACCESS = "access.yaml"


@pytest.fixture(autouse=True)
def secret_dir(secrets_folder: Path) -> Path:
    """Every test: its own secrets folder (tests/conftest.py)."""
    return secrets_folder


def grant(olap, clone: Path, learner: str, role: str) -> tuple[str, str]:
    """(grant id, token) of a link given and committed in *clone*."""
    done = olap("-C", clone, "access", "grant", learner, "--role", role, "--commit")
    assert done.code == 0, done.output
    token = done.stdout.strip().splitlines()[-1].rsplit("/a/", 1)[1]
    return access.check_token(clone, token).id, token


def grants(clone: Path) -> dict[str, dict]:
    from olapcli.io import yamlread

    data = yamlread.load((clone / ACCESS).read_text(encoding="utf-8"))
    return {g["id"]: g for g in data["grants"]}


def valid(olap, clone: Path) -> bool:
    result = olap("-C", clone, "validate")
    return result.code == 0 and "0 erreur" in result.output


def test_setup_names_access_yaml_in_gitattributes(clones):  # noqa: F811
    anne, _karim = clones
    assert "/access.yaml merge=olap" in (anne / ".gitattributes").read_text()
    attr = run_git(anne, "check-attr", "merge", "--", ACCESS).stdout
    assert attr.strip().endswith(": olap")


def test_links_given_in_two_clones_are_both_kept(olap, clones):  # noqa: F811
    anne, karim = clones
    tutor, tutor_token = grant(olap, anne, "lea-martin", "tuteur")
    run_git(anne, "push", "-q")
    learner, learner_token = grant(olap, karim, "lea-martin", "alternant")
    merged = run_git(karim, "pull", "--no-edit", check=False)
    assert merged.returncode == 0, merged.stderr
    text = (karim / ACCESS).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text
    # both created access.yaml: one header, both grants
    assert text.count("yaml-language-server") == 1 and text.count("grants:") == 1
    assert set(grants(karim)) == {tutor, learner}
    assert valid(olap, karim)
    # both links open in the merged clone
    assert access.check_token(karim, tutor_token).id == tutor
    assert access.check_token(karim, learner_token).id == learner
    # once shared, each appends one more: both kept again
    run_git(karim, "push", "-q")
    run_git(anne, "pull", "-q", "--no-edit")
    third, _ = grant(olap, anne, "lea-martin", "tuteur")
    run_git(anne, "push", "-q")
    fourth, _ = grant(olap, karim, "nathan-rey", "alternant")
    merged = run_git(karim, "pull", "--no-edit", check=False)
    assert merged.returncode == 0, merged.stderr
    assert set(grants(karim)) == {tutor, learner, third, fourth}
    assert valid(olap, karim)


def test_a_revoke_and_an_extension_merge_and_the_link_stays_revoked(olap, clones):  # noqa: F811
    anne, karim = clones
    gid, token = grant(olap, anne, "lea-martin", "tuteur")
    run_git(anne, "push", "-q")
    run_git(karim, "pull", "-q", "--no-edit")
    # Anne revokes the link; Karim, not knowing, gives it a longer life
    assert olap("-C", anne, "access", "revoke", gid, "--commit").code == 0
    run_git(anne, "push", "-q")
    expires = grants(karim)[gid]["expires"]
    edit(karim / ACCESS, f"expires: {expires.isoformat()}", "expires: 2027-06-30")
    run_git(karim, "commit", "-qam", "lien prolongé")
    merged = run_git(karim, "pull", "--no-edit", check=False)
    assert merged.returncode == 0, merged.stderr
    merged_grant = grants(karim)[gid]
    assert merged_grant["revoked"] is not None  # revoked wins
    assert merged_grant["expires"].isoformat() == "2027-06-30"  # the other change is kept
    assert valid(olap, karim)
    with pytest.raises(access.TokenRevoked):
        access.check_token(karim, token)


def test_the_same_expiry_moved_two_ways_is_a_conflict_validate_reports(olap, clones):  # noqa: F811
    anne, karim = clones
    gid, _token = grant(olap, anne, "lea-martin", "tuteur")
    run_git(anne, "push", "-q")
    run_git(karim, "pull", "-q", "--no-edit")
    expires = grants(karim)[gid]["expires"].isoformat()
    edit(anne / ACCESS, f"expires: {expires}", "expires: 2027-03-31")
    run_git(anne, "commit", "-qam", "mars")
    run_git(anne, "push", "-q")
    edit(karim / ACCESS, f"expires: {expires}", "expires: 2027-04-30")
    run_git(karim, "commit", "-qam", "avril")
    merged = run_git(karim, "pull", "--no-edit", check=False)
    assert merged.returncode != 0  # reported, not decided
    text = (karim / ACCESS).read_text(encoding="utf-8")
    assert "2027-03-31" in text and "2027-04-30" in text and "<<<<<<<" in text
    result = olap("-C", karim, "validate")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("<<<<<<<"))
    assert result.code == 1 and f"{ACCESS}:{line}:1" in result.output


# --- the merge itself ------------------------------------------------------------------

BASE = """\
# yaml-language-server: $schema=.olap/schema/access.schema.json
grants:
  - id: g1
    role: tuteur
    learner: lea-martin
    person: "Marc Girard"  # au téléphone
    created: 2026-11-21
    expires: 2027-02-19
"""


def merge(tmp_path: Path, ours: str, theirs: str, base: str = BASE) -> tuple[int, str]:
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    code = mergedriver.main([str(p) for p in paths] + [ACCESS])
    return code, paths[1].read_text(encoding="utf-8")


def revoked(day: str, text: str = BASE) -> str:
    return text + f"    revoked: {day}\n"


def test_revoked_on_both_sides_keeps_the_earlier_day(tmp_path):
    code, text = merge(tmp_path, revoked("2026-12-03"), revoked("2026-12-01"))
    assert code == 0, text
    assert "revoked: 2026-12-01" in text and "2026-12-03" not in text
    assert "# au téléphone" in text  # ours's comments stay


def test_a_revoke_undone_on_one_side_and_redone_on_the_other_stays_revoked(tmp_path):
    base = revoked("2026-12-01")
    code, text = merge(tmp_path, BASE, revoked("2026-12-02"), base=base)
    assert code == 0, text
    assert "revoked: 2026-12-02" in text


def test_a_grant_deleted_here_and_revoked_there_is_a_conflict(tmp_path):
    code, text = merge(tmp_path, "grants: []\n", revoked("2026-12-01"))
    assert code == 1 and "<<<<<<<" in text


def test_validate_says_when_gitattributes_predates_access_yaml(olap, clones):  # noqa: F811
    anne, _karim = clones
    grant(olap, anne, "lea-martin", "tuteur")
    assert "access.yaml" not in olap("-C", anne, "validate").output
    # a cohort set up before olap merged access.yaml
    edit(anne / ".gitattributes", "/access.yaml merge=olap\n", "")
    result = olap("-C", anne, "validate")
    assert "merge-driver" in result.output and "olap setup" in result.output
    assert "access.yaml n'est pas fusionné" in result.output
    assert olap("-C", anne, "setup").code == 0
    assert "merge-driver" not in olap("-C", anne, "validate").output

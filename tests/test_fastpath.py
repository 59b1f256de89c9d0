"""``olap need add`` skips pydantic when it safely can; it is never less strict for it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from olapcli.app.needs import NeedInput, need_input_errors
from olapcli.core.model import Need
from tests.conftest import edit, need_args, snapshot

FULL = need_args("Crème citron")

_ids = st.one_of(
    st.sampled_from(["6.3", "qualite", "3.2", "a_b-c", "", " 6.3", "6 3", "é"]), st.text(max_size=8)
)
_actors = st.lists(
    st.sampled_from(["entreprise", "formateur", "alternant", "patron", ""]), max_size=4
)


@settings(max_examples=300)
@given(_ids, _ids, _actors, st.text(max_size=20), st.lists(st.text(max_size=5), max_size=3))
def test_hand_checks_agree_with_the_model(activity, practice, actors, detail, resources):
    inp = NeedInput(
        activity=activity,
        marked_by=actors,
        identified=dt.date(2026, 1, 1),
        due=dt.date(2026, 1, 2),
        detail=detail,
        practice=practice,
        resources=resources,
    )
    try:
        Need.model_validate(
            {
                "id": "b1",
                "activity": activity,
                "practice": practice,
                "marked_by": actors,
                "identified": inp.identified,
                "due": inp.due,
                "detail": detail,
                "resources": resources,
            }
        )
        model_ok = True
    except ValidationError:
        model_ok = False
    assert (need_input_errors(inp) == []) == model_ok


def test_a_hand_edit_is_validated_again(olap, cohort_repo):
    assert (
        olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL).code == 0
    )  # marks the file valid
    edit(cohort_repo / "learners/lea-martin.yaml", "status: contract", "statut: contract")
    before = snapshot(cohort_repo)
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert result.code == 2 and "clé inconnue « statut »" in result.stderr
    assert snapshot(cohort_repo) == before


def test_a_changed_core_file_is_validated_again(olap, cohort_repo):
    assert (
        olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL).code == 0
    )  # caches the summary
    edit(cohort_repo / "referentiel.yaml", 'id: "6.3"', 'id: "6.9"')
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert result.code == 2 and "Activité inconnue : « 6.3 »" in result.stderr
    edit(cohort_repo / "cohort.yaml", "imminence_days: 21", "imminence_days: zéro")
    result = olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL)
    assert result.code == 2 and "cohort.yaml:" in result.stderr


def test_needs_that_is_not_a_list_is_never_overwritten(olap, cohort_repo):
    path = cohort_repo / "learners/nathan-rey.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "needs: beaucoup\n", encoding="utf-8")
    before = snapshot(cohort_repo)
    result = olap("-C", cohort_repo, "need", "add", "nathan-rey", *FULL)
    assert result.code == 2
    assert snapshot(cohort_repo) == before


def test_tricky_details_are_written_as_given(olap, cohort_repo):
    from olapcli.io import yamlread as yamlfast

    details = [
        'Tarte "citron" : 10 min de plus # four plein',
        "- commence par un tiret",
        "yes",
        "010",
        "Ligne 1\nLigne 2",
        "@chef & brigade !",
        "  espaces  ",
    ]
    for detail in details:
        assert olap("-C", cohort_repo, "need", "add", "lea-martin", *FULL[:-1], detail).code == 0
    written = [
        n["detail"]
        for n in yamlfast.load((cohort_repo / "learners/lea-martin.yaml").read_text())["needs"]
    ]
    assert written[-len(details) :] == [d.strip() for d in details]
    assert olap("-C", cohort_repo, "validate", "--no-cache").code == 0


def test_actors_are_the_models():
    import typing

    from olapcli.core import model, rules

    assert rules.ACTORS == typing.get_args(model.Actor)
    assert rules.LEVELS == typing.get_args(model.Level)

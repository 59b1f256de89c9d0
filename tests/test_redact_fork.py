"""Names cleared from the report's texts, and work handed to a forked child."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from olapcli.app import report
from olapcli.core.derive import metrics, stats
from olapcli.core.derive.briefs import LearnerBrief, NeedBrief
from olapcli.core.derive.redact import Redactor
from olapcli.core.derive.textfold import words_of
from olapcli.io import workers as forked


def person(first, last, tutor=None, texts=(), company=None):
    needs = tuple(
        NeedBrief(f"n{i}", "1.1", "qualite", dt.date(2026, 1, 5), dt.date(2026, 1, 9), t, ())
        for i, t in enumerate(texts)
    )
    return LearnerBrief(
        id=f"{first}-{last}".lower(),
        key="K-1234",
        first_name=first,
        last_name=last,
        tutor=tutor,
        company=company,
        needs=needs,
        outcomes=dict.fromkeys(metrics.INDICATORS),
        latest={},
        not_feasible=frozenset(),
        words=words_of(list(texts)),
    )


PEOPLE = [
    person("Emma", "Le Goff", ("Jean-Pierre", "Durand")),
    person("Noé", "O'Brien"),
]


@pytest.mark.parametrize(
    ("text", "cleared"),
    [
        ("Préparer le poste d'Emma avant le service", "Préparer le poste d'[nom] avant le service"),
        ("Avec Jean-Pierre au passe", "Avec [nom] au passe"),
        ("Mme Le Goff valide", "Mme [nom] valide"),
        ("Noé O'Brien et Emma", "[nom] [nom] et [nom]"),
        ("écrire à chef@bistrot.example demain", "écrire à [courriel] demain"),
        ("Emmanuel et Durandal restent", "Emmanuel et Durandal restent"),  # whole words only
        ("Le chef goûte", "Le chef goûte"),  # « Le » alone is not « Le Goff »
    ],
)
def test_names_and_addresses_are_cleared(text, cleared):
    assert Redactor(PEOPLE)(text) == cleared
    assert Redactor(PEOPLE, identify=True)(text) == text


def test_needed_says_which_learners_texts_can_hold_a_name():
    clear = Redactor(PEOPLE)
    assert clear.needed(person("A", "B", texts=["Le poste d'Emma"]))
    assert clear.needed(person("A", "B", texts=["chef@bistrot.example"]))
    assert not clear.needed(person("A", "B", texts=["Tarte au citron, 40 parts"]))
    # names are found in any case: a text in capitals or without accents is looked at
    assert clear.needed(person("A", "B", texts=["LE POSTE D'EMMA"]))
    assert clear.needed(person("A", "B", texts=["avec noe"]))
    assert clear.needed(person("A", "B", texts=["appeler le 06 12 34 56 78"]))
    assert clear.needed(person("A", "B", texts=["chef [at] bistrot (dot) fr"]))
    # a name without a word of two letters: every text must be looked at
    assert Redactor([*PEOPLE, person("J", "J-3")]).needed(person("A", "B", texts=["rien"]))


def test_a_child_gives_the_same_answer_as_this_process():
    child = forked.Child(lambda: os.getpid())
    assert child.ask() != os.getpid() if forked.usable() else child.ask() == os.getpid()
    square = forked.Child(lambda: None, lambda x: x * x)
    assert square.ask(12) == 144


def test_when_the_child_fails_the_work_is_done_here():
    parent = os.getpid()

    def only_here():
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        return "done here"

    assert forked.Child(only_here).ask() == "done here"


def test_a_child_never_asked_is_stopped():
    child = forked.Child(lambda: None, lambda x: x)
    pid = child.pid
    child.close()
    if pid:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped


def test_the_statistician_agrees_with_statistics(cohort_dir):
    from olapcli.app.report import load_one

    data, learners, _excluded = load_one(cohort_dir)
    table = metrics.rows(data.cohort, learners)
    statistician = report.Statistician()
    assert statistician.statistics(table) == stats.statistics(table)

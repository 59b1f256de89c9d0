"""Clearing names, phone numbers and e-mail addresses from free text, for what leaves
the centre."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from olapcli.core.derive.briefs import LearnerBrief
from olapcli.core.derive.textfold import (
    EMAIL,
    HAS_EMAIL,
    HAS_PHONE,
    PHONE,
    WORD,
    fold,
    fold_mapped,
    maybe_email,
    name_words,
)
from olapcli.i18n import _

_END = ""  # a name ends here (never a word)
#: the most characters between two words of a name (« Le Goff », « Jean - Pierre »)
_GAP = 3


class Redactor:
    """Clears the names of the learners, of their tutors and companies (and *others*: the
    trainers, see :func:`staff`), phone numbers
    and e-mail addresses (plain or obfuscated) from texts.

    A name is cleared in any case, with or without its accents, in any Unicode form
    (« LÉA », « lea », « Le\u0301a »), as whole words: the first name or the last name
    alone too, never inside another word (« Martin » is cleared, « Martine » is not).
    The rest of the text is kept as written. A text is read once, as the words of its
    folded view (:func:`~olapcli.core.derive.textfold.fold_mapped`), whose map gives
    back where a name was written; each word is looked up among the names' first words,
    the longest name that follows there is cleared. :meth:`needed` tells from a
    learner's brief whether any of its texts can hold a name, a number or an address
    at all. With *identify*, texts are kept.
    """

    def __init__(
        self, learners: list[LearnerBrief], identify: bool = False, others: Iterable[str] = ()
    ) -> None:
        self.identify = identify
        #: the names as a tree of their folded words: word -> next word -> …; _END: a name
        self.names: dict[str, Any] = {}
        #: for each name, its longest word: a text without it cannot hold the name
        self.keys: set[str] = {HAS_EMAIL, HAS_PHONE}
        #: a name without a word of two letters (the words a brief keeps): scan every text
        self.scan_all = False
        if not identify:
            people = set(others)
            for learner in learners:
                people.update((learner.first_name, learner.last_name, *(learner.tutor or ())))
                if learner.company:
                    people.add(learner.company)
            names, keys = self.names, self.keys
            for name in people:
                words = name_words(name)
                if len(words) == 1 and len(words[0]) > 1 and words[0].isalpha():
                    # most names: one word, its own key (the general case in _add)
                    word = words[0]
                    node = names.get(word)
                    if node is None:
                        node = names[word] = {}
                    node[_END] = True
                    keys.add(word)
                else:
                    self._add(words)
        self.mask = _("[name]")
        self.mail = _("[e-mail]")
        self.phone = _("[phone]")

    def _add(self, words: tuple[str, ...]) -> None:
        """One more name to clear, as its folded words."""
        if len("".join(words)) < 2:
            return
        node = self.names
        for word in words:
            node = node.setdefault(word, {})
        node[_END] = True
        key = max((w for w in words if len(w) > 1 and w.isalpha()), key=len, default="")
        if key:
            self.keys.add(key)
        else:
            self.scan_all = True

    def needed(self, learner: LearnerBrief) -> bool:
        """Can a text of *learner*'s needs hold a name, a phone number or an address?"""
        return not self.identify and (self.scan_all or not self.keys.isdisjoint(learner.words))

    def scrubber(self, learner: LearnerBrief) -> Callable[[str], str]:
        """What clears the texts of *learner*'s needs: it looks only for what its brief
        says they may hold (most learners: nothing, the texts are kept)."""
        if not self.needed(learner):
            return _same
        if self.scan_all:
            return self
        found = self.keys.intersection(learner.words)
        keys = tuple(found - {HAS_EMAIL, HAS_PHONE})
        return partial(self._clear, HAS_EMAIL in found, HAS_PHONE in found, keys)

    def __call__(self, text: str) -> str:
        return text if self.identify else self._clear(True, True, None, text)

    def _clear(self, mails: bool, phones: bool, keys: tuple[str, ...] | None, text: str) -> str:
        """*text* cleared of addresses, numbers, names (*keys*: the only names' words it
        may hold, None: any)."""
        if mails and maybe_email(text):
            text = EMAIL.sub(self.mail, text)
        if phones:
            text = PHONE.sub(self.phone, text)
        if keys is None:
            if self.keys.isdisjoint(WORD.findall(fold(text))):  # no name's word
                return text
        elif not keys:
            return text
        else:
            folded = fold(text)
            if not any(k in folded for k in keys):
                return text
        folded, where = fold_mapped(text)
        names = self.names
        words = WORD.findall(folded)
        hits = [i for i, word in enumerate(words) if word in names]
        if not hits:
            return text
        spans = [m.span() for m in WORD.finditer(folded)]
        out: list[str] = []
        last = after = 0
        for i in hits:
            if i < after:  # inside the name just cleared
                continue
            size = _name_at(words, spans, i, names[words[i]])
            if size:
                start, end = spans[i][0], spans[i + size - 1][1]
                if where is not None:
                    start, end = where[start], where[end]
                out += (text[last:start], self.mask)
                last, after = end, i + size
        out.append(text[last:])
        return "".join(out)


def staff(cohort: Any) -> list[str]:
    """The names of a cohort's trainers (*cohort*: a :class:`~olapcli.core.model.Cohort`
    or None), cleared from texts as the learners' are."""
    return [n for t in (cohort.trainers if cohort else ()) for n in (t.first_name, t.last_name)]


def _same(text: str) -> str:
    return text


def _name_at(words: list[str], spans: list[tuple[int, int]], i: int, node: dict[str, Any]) -> int:
    """How many words, from *words[i]* on, make the longest name of the tree *node* (the
    names that start with *words[i]*), 0 when none does; the words of a name are at most
    :data:`_GAP` characters apart."""
    longest = 1 if _END in node else 0
    k = i + 1
    while k < len(words) and spans[k][0] - spans[k - 1][1] <= _GAP:
        follows = node.get(words[k])
        if follows is None:
            break
        node = follows
        k += 1
        if _END in node:
            longest = k - i
    return longest

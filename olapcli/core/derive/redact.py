"""Clearing names, phone numbers and e-mail addresses from free text, for what leaves
the centre."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

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

#: the most characters between two words of a name (« Le Goff », « Jean - Pierre »)
_GAP = 3


class Redactor:
    """Clears the names of the learners, of their tutors and companies, phone numbers
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

    def __init__(self, learners: list[LearnerBrief], identify: bool = False) -> None:
        self.identify = identify
        seen: set[str] = set()
        names: dict[str, set[tuple[str, ...]]] = {}
        for learner in learners if not identify else ():
            people = [learner.first_name, learner.last_name]
            if learner.tutor:
                people += learner.tutor
            if learner.company:
                people.append(learner.company)
            for name in people:
                if name in seen:
                    continue
                seen.add(name)
                words = name_words(name)
                if len("".join(words)) >= 2:
                    names.setdefault(words[0], set()).add(words)
        #: first word -> the names that start with it, longest first
        self.names = {
            first: sorted(options, key=len, reverse=True) for first, options in names.items()
        }
        #: for each name, its longest word: a text without it cannot hold the name
        self.keys: set[str] = {HAS_EMAIL, HAS_PHONE}
        #: a name without a word of two letters (the words a brief keeps): scan every text
        self.scan_all = False
        for options in self.names.values():
            for words in options:
                key = max((w for w in words if len(w) > 1 and w.isalpha()), key=len, default="")
                if key:
                    self.keys.add(key)
                else:
                    self.scan_all = True
        self.mask = _("[name]")
        self.mail = _("[e-mail]")
        self.phone = _("[phone]")

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
        words = tuple(found - {HAS_EMAIL, HAS_PHONE})
        return partial(self._clear, HAS_EMAIL in found, HAS_PHONE in found, words)

    def __call__(self, text: str) -> str:
        return text if self.identify else self._clear(True, True, None, text)

    def _clear(self, mails: bool, phones: bool, words: tuple[str, ...] | None, text: str) -> str:
        """*text* cleared of addresses, numbers, names (*words*: the only names' words
        it may hold, None: any)."""
        if mails and maybe_email(text):
            text = EMAIL.sub(self.mail, text)
        if phones:
            text = PHONE.sub(self.phone, text)
        if words is None:
            if self.keys.isdisjoint(WORD.findall(fold(text))):  # no name's word
                return text
        elif not words:
            return text
        else:
            folded = fold(text)
            if not any(w in folded for w in words):
                return text
        folded, where = fold_mapped(text)
        names = self.names
        tokens = list(WORD.finditer(folded))
        out: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            size = _name_at(tokens, i, names.get(tokens[i].group(), []))
            if size:
                start, end = tokens[i].start(), tokens[i + size - 1].end()
                if where is not None:
                    start, end = where[start], where[end]
                out += (text[last:start], self.mask)
                last = end
                i += size
            else:
                i += 1
        out.append(text[last:])
        return "".join(out)


def _same(text: str) -> str:
    return text


def _name_at(tokens: list[re.Match[str]], i: int, options: list[tuple[str, ...]]) -> int:
    """How many words, from *tokens[i]* on, make the longest of *options* (0: none)."""
    for words in options:
        end = i + len(words)
        if end > len(tokens):
            continue
        if all(
            tokens[i + k].group() == w
            and (k == 0 or tokens[i + k].start() - tokens[i + k - 1].end() <= _GAP)
            for k, w in enumerate(words)
        ):
            return len(words)
    return 0

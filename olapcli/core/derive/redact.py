"""Clearing names and e-mail addresses from free text, for what leaves the centre."""

from __future__ import annotations

import re

from olapcli.core.derive.briefs import WORD, LearnerBrief
from olapcli.i18n import _

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class Redactor:
    """Clears names (learners', tutors') and e-mail addresses from texts.

    Names are matched as whole words, case included, also when made of several
    words (« Le Goff », « Jean-Pierre »), and inside elisions (« d'Emma »). The
    scan is one pass over a text's words, so it stays fast for tens of thousands
    of learners; :meth:`needed` tells from a learner's brief whether any of its
    texts can hold a name or an address at all. With *identify*, texts are kept.
    """

    def __init__(self, learners: list[LearnerBrief], identify: bool = False) -> None:
        self.identify = identify
        names: dict[str, list[tuple[str, ...]]] = {}
        #: for each name, its first capitalised word: a text without it cannot hold the name
        self.keys: set[str] = set()
        #: a name without a capital: every text must be scanned
        self.scan_all = False
        for learner in learners if not identify else ():
            people = [(learner.first_name, learner.last_name)]
            if learner.tutor:
                people.append(learner.tutor)
            for person in people:
                for name in person:
                    words = (name,) if name.isalnum() else tuple(WORD.findall(name))
                    if words and len("".join(words)) >= 2:
                        names.setdefault(words[0], []).append(words)
                        capital = next((w for w in words if w[0].isupper()), None)
                        if capital is None:
                            self.scan_all = True
                        else:
                            self.keys.add(capital)
        for options in names.values():
            options.sort(key=len, reverse=True)
        self.names = names
        self.first_words = set(names)
        self.keys.add("@")
        self.mask = _("[name]")
        self.mail = _("[e-mail]")

    def needed(self, learner: LearnerBrief) -> bool:
        """Can a text of *learner*'s needs hold a name or an address?"""
        return not self.identify and (self.scan_all or not self.keys.isdisjoint(learner.words))

    def __call__(self, text: str) -> str:
        if self.identify:
            return text
        if "@" in text:
            text = _EMAIL.sub(self.mail, text)
        tokens = list(WORD.finditer(text))
        if self.first_words.isdisjoint(t.group(0) for t in tokens):
            return text
        out: list[str] = []
        last = 0
        i = 0
        while i < len(tokens):
            match = tokens[i]
            for words in self.names.get(match.group(0), ()):
                seq = tokens[i : i + len(words)]
                if len(seq) == len(words) and tuple(t.group(0) for t in seq) == words:
                    out.append(text[last : match.start()] + self.mask)
                    last = seq[-1].end()
                    i += len(words)
                    break
            else:
                i += 1
        out.append(text[last:])
        return "".join(out)

"""Texts seen as names are compared: without case, accents or Unicode forms.

« LÉA », « lea », « Léa » and « Le\u0301a » (NFD) all read ``lea`` in the folded view
of a text (:func:`fold`). Clearing names (:mod:`olapcli.core.derive.redact`) searches
that view, then cuts the text as it was written, through the map of
:func:`fold_mapped` from each folded character back to where it came from. Phone
numbers and e-mail addresses, plain or written to dodge robots (« lea [at] mail (dot)
fr »), are found in the text itself (:data:`PHONE`, :data:`EMAIL`).
"""

from __future__ import annotations

import re
import unicodedata

#: a word, as names are matched in texts
WORD = re.compile(r"\w+")

#: the combining marks of the Latin, Greek and Cyrillic letters (accents, cedillas…)
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _ligatures(text: str) -> str:
    """« Cœur » is written « Coeur » too: the ligatures NFKD keeps, spelt out."""
    if "œ" in text:
        text = text.replace("œ", "oe")
    if "æ" in text:
        text = text.replace("æ", "ae")
    return text


def _fold(text: str) -> str:
    """NFKD, case folded (then NFKD again: a folded letter may decompose), without
    accents, ligatures spelt out."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return _ligatures(_MARKS.sub("", folded))


#: char → its folded form, for the characters of French texts that fold to ASCII (an
#: accented letter to one, a ligature to two, a lone accent of an NFD text to none): most
#: texts are folded through this table alone
_TABLE = {
    cp: folded
    for cp in [*range(0x41, 0x5B), *range(0x80, 0x370), *range(0x2000, 0x2070)]
    if (folded := _fold(chr(cp))).isascii() and folded != chr(cp)
}
#: the characters of the table that do not fold to exactly one
_UNEVEN = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp, folded in _TABLE.items() if len(folded) != 1) + "]"
)
_ONE: dict[str, str] = {}


#: a French phone number: 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78,
#: +33 (0)6 12 34 56 78, +33 06 12 34 56 78, 0033 6 12 34 56 78 (spaces, dots or dashes between pairs)
#: (the lookbehind comes after the first character, so that the search skips to a + or 0)
_CODE = r"\s?33[\s.-]?(?:\(0\)[\s.-]?|0[\s.-]?)?"
PHONE = re.compile(
    rf"[+0](?<![\d+].)(?:(?<=\+){_CODE}|(?<=0)0{_CODE}|(?<=0))[1-9](?:[\s.-]?\d\d){{4}}(?!\d)"
)
_AT = r"(?:\s*[\[({<]\s*(?:at|arobase)\s*[\])}>]\s*|\s*@\s*)"
_AT_MARK = re.compile(r"[\[({<]\s*(?:at|arobase)\s*[\])}>]", re.IGNORECASE)
_DOT = r"(?:\s*[\[({<]\s*(?:dot|point)\s*[\])}>]\s*|\.)"
#: an e-mail address, plain (lea@mail.fr) or obfuscated (lea [at] mail.fr, lea (at) mail
#: (dot) fr, lea {arobase} mail [point] fr). Parts and labels are bounded as in RFC 5321
#: (64 characters, a few dots): a long text full of « (dot) » costs a linear search,
#: not a quadratic one
EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]{{1,64}}(?:{_DOT}[\w+-]{{1,64}}){{0,8}}{_AT}"
    rf"[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{0,8}}{_DOT}[^\W\d_]{{2,24}}(?![\w-])",
    re.IGNORECASE,
)
#: what a brief says of texts holding an e-mail address or a phone number
HAS_EMAIL, HAS_PHONE = "@", "#"


def maybe_email(text: str) -> bool:
    """Can *text* hold an e-mail address? (A quick look before the search.)"""
    return "@" in text or _AT_MARK.search(text) is not None


def fold(text: str) -> str:
    """*text* without case, accents, ligatures or Unicode forms (NFKD): the text of
    :func:`fold_mapped`, quicker."""
    return text.lower() if text.isascii() else _fold(text)


def fold_mapped(text: str) -> tuple[str, list[int] | None]:
    """The folded view of *text* (:func:`fold`) and, for each of its characters, the
    index in *text* of the character it comes from, plus ``len(text)`` at the end: a
    match ``[s, e)`` of the view is ``text[where[s] : where[e]]``, accents included. None
    for the map when each character of the view is at its place in *text*."""
    if text.isascii():
        return text.lower(), None
    quick = text.translate(_TABLE)
    if quick.isascii():
        uneven = list(_UNEVEN.finditer(text))
        if not uneven:
            return quick, None
        where: list[int] = []
        done = 0
        for match in uneven:  # the rest of the text keeps its places
            i = match.start()
            where += range(done, i)
            where += [i] * len(_TABLE[ord(match.group())])
            done = i + 1
        where += range(done, len(text) + 1)
        return quick, where
    parts: list[str] = []
    where = []
    one = _ONE
    for i, char in enumerate(text):
        folded = one.get(char)
        if folded is None:
            folded = one[char] = _fold(char)
        parts.append(folded)
        where += [i] * len(folded)
    where.append(len(text))
    return "".join(parts), where


def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name: « Le Goff » → (« le », « goff »)."""
    return tuple(WORD.findall(fold(name)))


def words_of(texts: list[str]) -> frozenset[str]:
    """What tells whether *texts* may hold a name, a phone number or an e-mail address:
    their folded words of two letters or more (a name is found only where its words
    all are), :data:`HAS_EMAIL` and :data:`HAS_PHONE` when they hold one."""
    words = {w for t in texts for w in WORD.findall(fold(t)) if len(w) > 1 and w.isalpha()}
    if any(EMAIL.search(t) for t in texts if maybe_email(t)):
        words.add(HAS_EMAIL)
    if any(PHONE.search(t) for t in texts):
        words.add(HAS_PHONE)
    return frozenset(words)

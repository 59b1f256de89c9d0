"""Message catalog: French by default, English on request.

Source strings (msgids) are English; ``locale/fr`` holds the French catalog
compiled with Babel. The language is fixed once, before the CLI modules are
imported, because Typer help texts are evaluated at import time.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANGUAGES = ("fr", "en")
_LOCALE_DIR = Path(__file__).parent / "locale"
_translation: gettext.NullTranslations = gettext.NullTranslations()
_lang = "fr"


def pick_language(argv: list[str]) -> str:
    """The language asked by ``--lang`` in *argv*, else ``OLAP_LANG``, else French."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("OLAP_LANG", "fr")


def set_language(lang: str) -> None:
    """Install the catalog for *lang* (unknown languages fall back to French)."""
    global _translation, _lang
    lang = lang if lang in LANGUAGES else "fr"
    _lang = lang
    if lang == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation("olap", _LOCALE_DIR, languages=[lang], fallback=True)


def language() -> str:
    """The language in use."""
    return _lang


def _(message: str) -> str:
    """Translate *message*."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form chosen for *n*."""
    return _translation.ngettext(singular, plural, n)


set_language(pick_language([]))

"""Text for a terminal: what a data file says must be shown there, never obeyed.

A name, a detail or an id read from a cohort's files may hold control characters
(ESC starting a sequence that moves the cursor, rewrites the title or a link; BEL; CR
overwriting the line). Before any such text reaches a terminal, each control character
is replaced by a visible, harmless sign.
"""

from __future__ import annotations

import re

#: control characters made visible and harmless on a terminal (ESC, BEL, CR, DEL, C1…):
#: each C0 one becomes its « control picture » (␛, ␇, ␍), the others U+FFFD
_CONTROLS = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {0x7F: 0x2421}
_CONTROLS |= dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
_ANY_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """*text* as it may reach a terminal: no control character can act there."""
    # one fast scan first: most texts hold none, and translate is slow on long ones
    return text.translate(_CONTROLS) if _ANY_CONTROL.search(text) else text

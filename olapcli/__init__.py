"""olap — outil de liaison pour l'alternance proactive.

Front doors (:mod:`olapcli.cli`) call use-cases (:mod:`olapcli.app`), which combine the
method (:mod:`olapcli.core`, pure) with the I/O layer (:mod:`olapcli.io`) and the output
formats (:mod:`olapcli.render`). The layers and their contract: docs/architecture.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

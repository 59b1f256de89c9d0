"""Serving the web application with waitress, a production WSGI server in pure Python
(it runs the same on Linux and Windows; never Flask's development server)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from olapcli.web import create_app


def make_server(
    root: Path, host: str, port: int, public_url: str | None = None, **options: Any
) -> Any:
    """A waitress server of the cohort at *root*, bound (port 0: a free one), not yet
    running: ``.effective_port``, ``.run()``, ``.close()``."""
    from waitress.server import create_server

    from olapcli.app import composer
    from olapcli.app.notify import materialise

    app = create_app(root, public_url=public_url, **options)
    composer.start(root, materialise)  # one thread composes the e-mails, not a process per write
    return create_server(app, host=host, port=port, threads=8, ident="olap")


def run(
    root: Path,
    host: str,
    port: int,
    public_url: str | None,
    ready: Callable[[str], None],
) -> None:
    """Serve until interrupted (Ctrl-C ends it cleanly); *ready* is told the address.
    Meanwhile a thread loads the learners into memory (:func:`olapcli.app.serve.warm`)."""
    from olapcli.app import serve as use

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = make_server(root, host, port, public_url)
    threading.Thread(target=use.warm, args=(root,), name="olap-warm", daemon=True).start()
    try:  # Ctrl-C from the moment the address is said stops it cleanly
        ready(f"http://{host}:{server.effective_port}")
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()

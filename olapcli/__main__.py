"""Entry point: ``olap`` and ``python -m olapcli``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Pick the language first (help texts are built at import), then dispatch."""
    from olapcli.i18n import pick_language, set_language

    args = sys.argv[1:] if argv is None else argv
    set_language(pick_language(args))
    from olapcli.cli import app, closed_output

    try:
        app(args=args, prog_name="olap")
    except BrokenPipeError:  # outside a command: help, completion, the last flush
        closed_output()
        sys.exit(2)


if __name__ == "__main__":
    main()

"""``olap serve``: the web front door for the tutor, the apprentice and the trainers."""

from __future__ import annotations

import shlex

import typer

from olapcli.cli import complete
from olapcli.cli.common import echo, root
from olapcli.i18n import _

HELP = _(
    "Serve the cohort's pages to the tutor, the apprentice and the trainers (a production "
    "server, waitress). Each person opens the personal link made by « olap access grant »; "
    "no account. Listens on 127.0.0.1 by default: put a reverse proxy with TLS in front "
    "of it to open it to the outside (docs/serve.md). Ctrl-C stops it.\n\n"
    "Example: olap -C cohorte serve --port 8000 --public-url https://olap.cfa.example"
)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help=_("Address to listen on.")),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help=_("Port to listen on.")),
    public_url: str | None = typer.Option(
        None,
        "--public-url",
        envvar="OLAP_PUBLIC_URL",
        help=_("Address the people reach (behind the proxy), e.g. https://olap.cfa.example."),
    ),
    trainer: str | None = typer.Option(
        None,
        "--trainer",
        help=_(
            "Print the link of this trainer (id in cohort.yaml) to the whole cohort, from "
            "their grant that works today — not under a service: the link would be in its log."
        ),
        autocompletion=complete.trainers,
    ),
) -> None:
    from olapcli.app.access import trainer_link
    from olapcli.app.inputs import today
    from olapcli.app.serve import public_url as checked

    folder = root(ctx)
    base = checked(folder, public_url)
    if trainer is not None:  # refused before the server starts
        trainer_link(folder, trainer, today(), base)
    from olapcli.web.server import run

    def ready(address: str) -> None:
        echo(_("olap serve listens on {address} (Ctrl-C to stop).").format(address=address))
        if trainer is not None:
            link = trainer_link(folder, trainer, today(), base or address)
            echo(_("Your link ({person}): {link}").format(person=trainer, link=link))
            return
        echo(
            _(
                "Make a personal link: olap -C {folder} access grant LEARNER --role tuteur "
                "--public-url {url}"
            ).format(folder=shlex.quote(str(folder)), url=base or address)
        )

    run(folder, host, port, base, ready)
    echo(_("olap serve stopped."))

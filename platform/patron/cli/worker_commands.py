"""``patron worker`` and ``patron outbox replay``."""

from __future__ import annotations

import signal
import threading
import uuid

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from patron.cli.tenant_commands import tenant_option, tenant_transaction
from patron.db import db
from patron.events.models import DEAD, OutboxMessage
from patron.events.worker import replay_dead, run_forever, work_once


def stop_on_signals(stop: threading.Event) -> None:
    """The first SIGINT or SIGTERM sets ``stop`` (the round in progress ends cleanly); the
    handlers in place before come back, so a second signal stops the process at once."""
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, frame: object) -> None:
        stop.set()
        for restored, handler in previous.items():
            signal.signal(restored, handler)

    for signum in previous:
        signal.signal(signum, request_stop)


@click.command("worker")
@click.option("--poll-seconds", type=click.FloatRange(min=0.01), default=1.0,
              show_default=True, help="Pause between rounds when there is nothing to deliver.")
@click.option("--once", is_flag=True,
              help="Run one round (due jobs, one outbox batch) and exit.")
@with_appcontext
def worker_command(poll_seconds: float, once: bool) -> None:
    """Deliver the outbox and run scheduled jobs until SIGINT or SIGTERM.

    Any number of workers may run at once, on any number of machines.
    """
    if once:
        click.echo(f"delivered {work_once()} message(s)")
        return
    stop = threading.Event()
    stop_on_signals(stop)
    click.echo(f"worker running, polling every {poll_seconds:g}s; stop with Ctrl+C")
    run_forever(current_app._get_current_object(), stop, poll_seconds)
    click.echo("worker stopped")


@click.group("outbox")
def outbox_group() -> None:
    """The transactional outbox of side effects (webhooks, ERP, e-mail)."""


@outbox_group.command("replay")
@tenant_option
@click.option("--id", "message_ids", multiple=True, type=click.UUID, metavar="UUID",
              help="A dead message to replay (repeatable); default: all the tenant's dead ones.")
@with_appcontext
def replay_command(slug: str, message_ids: tuple[uuid.UUID, ...]) -> None:
    """Put a tenant's dead outbox messages back in the queue, with fresh attempts."""
    with tenant_transaction(slug):
        if message_ids:
            dead = set(db.session.execute(
                select(OutboxMessage.id)
                .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == DEAD)
            ).scalars())
            missing = [str(message_id) for message_id in message_ids if message_id not in dead]
            if missing:
                raise click.ClickException(
                    f"not a dead message of tenant {slug!r}: {', '.join(missing)}"
                )
        replayed = replay_dead(list(message_ids) or None)
    click.echo(f"{replayed} message(s) back in the queue")


def register(cli: click.Group) -> None:
    """Add ``worker`` and the ``outbox`` group."""
    cli.add_command(worker_command)
    cli.add_command(outbox_group)

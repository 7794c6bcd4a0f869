"""Delivering the outbox: claim due messages, hand them to their channel, retry or bury.

Claiming takes a *lease*: in one short transaction the worker selects due messages with
``FOR UPDATE SKIP LOCKED`` (on PostgreSQL, so any number of workers on any number of machines
share the queue without taking the same row) and pushes their ``next_attempt_at`` past the
lease. Each message is then delivered in its own transaction inside its tenant's context,
holding the message's row lock while its channel delivers it, so a message whose lease ran out
while the worker was busy with the rest of its batch is skipped by any other worker that
claimed it meanwhile. A worker that dies mid-delivery loses its connection and with it the
lock: the message is claimed again when its short lease runs out, within a minute. Delivery
is at least once, and receivers deduplicate on the idempotency key.

Each round of the worker also runs the scheduled jobs that are due (:mod:`patron.events.jobs`).
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select, text, update

from patron.db import db, tenant_context
from patron.db.mixins import utcnow
from patron.events.dispatch import channels
from patron.events.interface import acting_through
from patron.events.jobs import run_due_jobs
from patron.events.models import DEAD, DELIVERED, PENDING, OutboxMessage

log = logging.getLogger(__name__)

#: How long a claimed message waits for its worker before another may claim it.
LEASE = timedelta(seconds=60)
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """Delay before retry number ``attempts`` (1, 2, …): doubling from the configured base."""
    base = timedelta(seconds=current_app.config["PATRON_OUTBOX_BACKOFF_SECONDS"])
    return min(base * (2 ** (attempts - 1)), MAX_BACKOFF)


def claim(limit: int = 50) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Lease up to ``limit`` due messages across tenants; returns ``(tenant_id, id)`` pairs.

    On PostgreSQL through the table owner's ``patron_outbox_claim`` (migration 0018), which
    returns ids only: the application role itself never reads another tenant's outbox."""
    now = utcnow()
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text("SELECT tenant_id, id FROM patron_outbox_claim("
                                    ":due, :lease_until, :batch)"),
                               {"due": now, "lease_until": now + LEASE, "batch": limit}).all()
        session.commit()
        return [(row.tenant_id, row.id) for row in rows]
    rows = session.execute(  # SQLite: one writer at a time, no row-level security
        select(OutboxMessage.tenant_id, OutboxMessage.id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(limit)
        .execution_options(all_tenants=True)
    ).all()
    for tenant_id, message_id in rows:
        with tenant_context(tenant_id):
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(next_attempt_at=now + LEASE)
            )
    session.commit()
    return [(row.tenant_id, row.id) for row in rows]


def deliver(tenant_id: uuid.UUID, message_id: uuid.UUID) -> bool:
    """Deliver one leased message in its tenant's context; True if it was delivered (False
    also when another worker is delivering it right now)."""
    max_attempts = current_app.config["PATRON_OUTBOX_MAX_ATTEMPTS"]
    with tenant_context(tenant_id):
        message = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.id == message_id)
            .with_for_update(skip_locked=True)
        ).scalar_one_or_none()
        if message is None or message.status != PENDING:
            db.session.rollback()
            return False
        channel = channels().get(message.channel)
        message.attempts += 1
        try:
            if channel is None:
                raise LookupError(f"no outbox channel {message.channel!r} is installed")
            channel.deliver(message)
        except Exception as error:  # any failure is retried, then buried: never lost
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= max_attempts:
                message.status = DEAD
                log.warning("outbox message %s is dead: %s", message.id, message.last_error)
            else:
                message.next_attempt_at = utcnow() + backoff(message.attempts)
            db.session.commit()
            return False
        message.status = DELIVERED
        message.delivered_at = utcnow()
        message.last_error = None
        db.session.commit()
        return True


def run_once(limit: int = 50) -> int:
    """Claim and deliver one batch; returns how many messages were delivered."""
    delivered = 0
    for tenant_id, message_id in claim(limit):
        delivered += deliver(tenant_id, message_id)
    db.session.remove()
    return delivered


def replay_dead(message_ids: list[uuid.UUID] | None = None) -> int:
    """Put the current tenant's dead messages (all, or ``message_ids``) back in the queue."""
    statement = update(OutboxMessage).where(OutboxMessage.status == DEAD)
    if message_ids is not None:
        statement = statement.where(OutboxMessage.id.in_(message_ids))
    result = db.session.execute(
        statement.values(status=PENDING, attempts=0, next_attempt_at=utcnow(), last_error=None)
    )
    return result.rowcount


def work_once(limit: int = 50) -> int:
    """One round of the worker: the scheduled jobs that are due, then one outbox batch.

    Returns how many messages were delivered.
    """
    with acting_through("worker"):
        run_due_jobs(utcnow())
        return run_once(limit)


def run_forever(app: Flask, stop: threading.Event, poll_seconds: float = 1.0) -> None:
    """Work until ``stop`` is set, polling every ``poll_seconds`` when the queue is empty."""
    while not stop.is_set():
        try:
            with app.app_context():
                busy = work_once() > 0
        except Exception:  # keep the worker alive; the failure is logged and retried
            log.exception("outbox worker iteration failed")
            busy = False
        if not busy:
            stop.wait(poll_seconds)


def start_embedded_worker(app: Flask, poll_seconds: float = 1.0) -> threading.Event:
    """Run :func:`run_forever` in a daemon thread (``patron run``); set the event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(app, stop, poll_seconds), name="patron-outbox", daemon=True
    )
    thread.start()
    return stop

"""Notifying users, reading and marking their notifications, and mailing them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from patron.auth.models import User
from patron.db import db
from patron.db.bulk import insert_rows
from patron.db.mixins import utcnow
from patron.events.jobs import Job
from patron.mail import absolute_url, mail_enabled, queue_mail
from patron.notifications.models import Notification
from patron.rbac.access import acting_user_id
from patron.rbac.field_security import HIDDEN, grouped
from patron.rbac.models import Role
from patron.tenancy.services import current_tenant

#: ``users.notify_by_email``: never, at once, or once a day in a digest.
NEVER, IMMEDIATELY, DAILY = "never", "immediately", "daily"
EMAIL_CHOICES = (NEVER, IMMEDIATELY, DAILY)
#: The longest notification text kept.
TEXT_MAX = 500


def notify(user_ids: Iterable[uuid.UUID | str | None], message: Any, *, kind: str,
           link: str | None = None, naming: tuple[str, str] | None = None,
           instead: Any = None) -> int:
    """Tell each of ``user_ids`` (``None`` and the acting user, who knows already, are
    skipped; so are deactivated users) that ``message`` happened; returns how many were told.

    ``message`` is a lazy string (``lazy_gettext("%(name)s asks…", name=…)``), said in each
    recipient's language; ``link`` is the path of the page it is about. Each recipient who
    asked for mail at once gets one through the outbox. ``naming=(entity, field)`` says the
    message shows that field of a record (a ticket's subject): a recipient whose role hides
    the field gets ``instead``, a message without it, in the app and in the mail alike.
    Flushes, never commits: call it from the change's own transaction (an event handler).
    """
    wanted = {uuid.UUID(str(user_id)) for user_id in user_ids if user_id} - {acting_user_id()}
    if not wanted:
        return 0
    users = db.session.execute(select(User).where(User.id.in_(wanted),
                                                  User.is_active.is_(True))).scalars().all()
    default_locale = current_tenant().locale
    hiding = _hiding(users, naming) if naming else set()
    now, rows = utcnow(), []
    for user in users:
        with force_locale(user.locale or default_locale):
            text = str(instead if user.role_id in hiding else message)[:TEXT_MAX]
            mailed = user.notify_by_email == IMMEDIATELY and mail_enabled()
            if mailed:
                _mail(user, text, [(text, link)])
        rows.append({"user_id": user.id, "kind": kind, "text": text, "link": link,
                     "created_at": now, "mailed_at": now if mailed else None})
    insert_rows(Notification, rows)
    return len(rows)


def _hiding(users: Sequence[User], naming: tuple[str, str]) -> set:
    """The roles among ``users``' that hide field ``naming[1]`` of ``naming[0]`` (or a field
    of its group), read in one query."""
    entity, field = naming
    role_ids = {user.role_id for user in users if user.role_id}
    roles = db.session.execute(select(Role).where(Role.id.in_(role_ids))).scalars() if (
        role_ids) else []
    return {role.id for role in roles
            if grouped(entity, dict((role.field_access or {}).get(entity, {}))).get(field)
            == HIDDEN}


def _mail(user: User, subject: str, items: list[tuple[str, str | None]]) -> None:
    """One mail to ``user`` listing ``items`` (text, link), in the current locale."""
    lines = [f"- {text}" + (f"\n  {_link(link)}" if link else "") for text, link in items]
    body = "\n".join(lines) + "\n\n" + _(
        "You get these mails because of your notification settings: %(url)s",
        url=absolute_url("notification_pages.settings")) + "\n"
    queue_mail(user.email, subject[:200], body, kind="notification")


def _link(path: str) -> str:
    return absolute_url("web.home").rstrip("/") + path  # the site's address, then the path


def mail_daily_digests() -> int:
    """Mail each user of the current tenant who asked for a daily digest their notifications
    not mailed yet, in one mail; returns how many mails were queued."""
    if not mail_enabled():
        return 0
    pending = db.session.execute(
        select(Notification, User).join(User, User.id == Notification.user_id)
        .where(Notification.mailed_at.is_(None), User.notify_by_email == DAILY,
               User.is_active.is_(True))
        .order_by(Notification.user_id, Notification.created_at)).all()
    by_user: dict[uuid.UUID, tuple[User, list[Notification]]] = {}
    for notification, user in pending:
        by_user.setdefault(user.id, (user, []))[1].append(notification)
    default_locale = current_tenant().locale
    now = utcnow()
    for user, notifications in by_user.values():
        with force_locale(user.locale or default_locale):
            _mail(user, _("Your notifications of the day (%(num)d)", num=len(notifications)),
                  [(n.text, n.link) for n in notifications])
        for notification in notifications:
            notification.mailed_at = now
    db.session.flush()
    return len(by_user)


#: The worker mails each tenant's daily digests once a day.
DIGEST_JOB = Job("core.notification_digest", every_seconds=24 * 3600, run=mail_daily_digests)


def unread_count(user_id: uuid.UUID) -> int:
    """How many of the user's notifications are unread."""
    return db.session.execute(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))).scalar_one()


def recent(user_id: uuid.UUID, *, limit: int = 50, before: datetime | None = None,
           unread_only: bool = False) -> list[Notification]:
    """The user's notifications, newest first (``before``: older than that, for paging)."""
    statement = select(Notification).where(Notification.user_id == user_id)
    if before is not None:
        statement = statement.where(Notification.created_at < before)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return list(db.session.execute(statement.order_by(
        Notification.created_at.desc(), Notification.id.desc()).limit(limit)).scalars())


def mark_read(user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification | None:
    """Mark one of the user's notifications read; ``None`` if they have no such one."""
    notification = db.session.execute(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user_id)
    ).scalar_one_or_none()
    if notification is not None and notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user_id: uuid.UUID) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    ).values(read_at=utcnow())).rowcount

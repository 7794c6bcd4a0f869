"""Invitations: a link with which a new user chooses their own password.

The link carries a signed token (``itsdangerous``, keyed with the instance's secret key) that
names the tenant and the user and a fingerprint of the user's password: it stops working
once a password is set, after :data:`VALID_FOR`, or when the user or tenant is deactivated.
No table holds invitations; sending one again simply sends a new link.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from patron.auth.models import User
from patron.auth.services import change_password
from patron.db import db
from patron.db.tenant_context import set_current_tenant
from patron.events import emit
from patron.mail import absolute_url, mail_enabled, queue_mail
from patron.tenancy.models import Tenant

SALT = "patron.invitation"
VALID_FOR = timedelta(days=7)


class InvitationRefused(ValueError):
    """The user already has a password (or is inactive): there is nothing to invite to."""

    field = "password"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def invitation_link(user: User) -> str:
    """The absolute address of a new invitation for ``user`` (``PATRON_BASE_URL`` or the
    address of the current request)."""
    token = _serializer().dumps({"tenant": user.tenant_id.hex, "user": user.id.hex,
                                 "state": _fingerprint(user)})
    return absolute_url("invitations.accept_invitation", token=token)


def invite(user: User, invited_by: str) -> tuple[str, bool]:
    """Queue an invitation mail to ``user`` (when e-mail is configured); returns the link and
    whether it was mailed. Flushes, never commits."""
    if user.password_hash is not None or not user.is_active:
        raise InvitationRefused("the user can already sign in" if user.is_active
                                else "the user is deactivated")
    link = invitation_link(user)
    if mail_enabled():
        days = VALID_FOR.days
        queue_mail(user.email, _("%(name)s invites you to Patron", name=invited_by), _(
            "Hello %(user)s,\n\n%(name)s has invited you to work with them in Patron. "
            "Choose your password here (the link works for %(days)d days):\n\n%(link)s\n",
            user=user.name, name=invited_by, days=days, link=link), kind="mail.invitation")
    return link, mail_enabled()


def invited_user(token: str) -> User | None:
    """The user ``token`` invites, with the current tenant set to theirs; ``None`` when the
    link is forged, expired, already used, or its user or tenant is no longer active."""
    try:
        data = _serializer().loads(token, max_age=VALID_FOR.total_seconds())
        tenant = db.session.get(Tenant, uuid.UUID(hex=data["tenant"]))
        user_id = uuid.UUID(hex=data["user"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if tenant is None or not tenant.is_active:
        return None
    set_current_tenant(tenant.id)
    user = db.session.get(User, (tenant.id, user_id))
    if user is None or not user.is_active or _fingerprint(user) != data.get("state"):
        set_current_tenant(None)
        return None
    return user


def accept(user: User, password: str) -> None:
    """Set the invited ``user``'s first password (the strength rules apply); audited."""
    change_password(user, password)
    emit("user.invitation_accepted", {"id": str(user.id), "email": user.email,
                                      "actor_id": str(user.id)})

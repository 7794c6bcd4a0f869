"""API tokens: named, hashed at rest, revocable, optionally expiring, with last use recorded."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, bindparam, func, select, update
from sqlalchemy.orm import contains_eager

from patron.auth.models import ApiToken, User
from patron.auth.secrets import digest, make_credential, tenant_of
from patron.db import db, tenant_context
from patron.db.tenant_context import set_current_tenant
from patron.events import emit
from patron.tenancy.models import Tenant
from patron.tenancy.services import active_tenant

KIND = "ptk"
#: Last use is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=1)


#: Most tokens a user may make in an hour through the API or the page (counted in the
#: database, so the same on every worker): a script should keep its token, not make one a run.
MAX_TOKENS_PER_HOUR = 20


class TooManyTokens(Exception):
    """The user made :data:`MAX_TOKENS_PER_HOUR` tokens in the last hour."""

    def __init__(self) -> None:
        super().__init__(f"At most {MAX_TOKENS_PER_HOUR} tokens an hour: reuse one, or try "
                         "again later.")


def check_token_rate(user: User) -> None:
    """Raise :class:`TooManyTokens` when ``user`` made too many tokens in the last hour."""
    made = db.session.execute(
        select(func.count()).select_from(ApiToken).where(
            ApiToken.user_id == user.id,
            ApiToken.created_at > datetime.now(UTC) - timedelta(hours=1))).scalar_one()
    if made >= MAX_TOKENS_PER_HOUR:
        raise TooManyTokens


def create_token(user: User, name: str, expires_at: datetime | None = None) -> ApiToken:
    """Create a token for ``user``.

    The secret is on the returned object as ``secret`` for this once; only its hash is stored.
    """
    raw, token_hash = make_credential(KIND, user.tenant_id)
    token = ApiToken(
        user_id=user.id, name=name, token_hash=token_hash, prefix=raw[:12], expires_at=expires_at
    )
    db.session.add(token)
    db.session.flush()
    token.secret = raw
    emit("token.created", {"id": str(token.id), "name": name, "user_id": str(user.id)})
    return token


@functools.cache
def _sign_in_statement() -> Select:
    """The one statement every API request signs in with (issue 6): the token, its user, the
    tenant (which active_tenant() then finds in the session) and the role, where the layer
    above declares it (:mod:`patron.rbac` adds ``User.role``; the core always loads it first).
    Built once per process: composing it cost half as much as running it (issue 11)."""
    statement = (
        select(ApiToken, User, Tenant)
        .join(User, (User.tenant_id == ApiToken.tenant_id) & (User.id == ApiToken.user_id))
        .join(Tenant, Tenant.id == ApiToken.tenant_id)
        .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
    )
    role = getattr(User, "role", None)
    return statement.outerjoin(role).options(contains_eager(role)) if role else statement


def authenticate_token(raw: str) -> User | None:
    """The active user a live token belongs to, with the tenant context set; None otherwise."""
    tenant_id = tenant_of(KIND, raw)
    if tenant_id is None:
        return None
    now = datetime.now(UTC)
    with tenant_context(tenant_id):
        found = db.session.execute(_sign_in_statement(),
                                   {"token_hash": digest(raw)}).one_or_none()
        if found is None or active_tenant(tenant_id) is None:
            return None
        token, user, _ = found
        if (token.expires_at and token.expires_at <= now) or not user.is_active:
            return None
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            db.session.execute(
                update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
            )
    set_current_tenant(tenant_id)
    return user


def revoke_token(token: ApiToken) -> None:
    """Revoke a token; requests carrying it get 401 from now on."""
    token.revoked_at = datetime.now(UTC)
    emit("token.revoked", {"id": str(token.id), "name": token.name,
                           "user_id": str(token.user_id)})


def revoke_user_tokens(user: User) -> None:
    """Revoke every token of ``user`` (deactivation)."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


"""API tokens: named, hashed at rest, revocable, optionally expiring, with last use recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
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


def authenticate_token(raw: str) -> User | None:
    """The active user a live token belongs to, with the tenant context set; None otherwise."""
    tenant_id = tenant_of(KIND, raw)
    if tenant_id is None:
        return None
    now = datetime.now(UTC)
    with tenant_context(tenant_id):
        # Every API request pays for this, so it is one statement (issue 6): the token, its
        # user, the tenant (which active_tenant() then finds in the session) and the role.
        statement = (
            db.select(ApiToken, User, Tenant)
            .join(User, (User.tenant_id == ApiToken.tenant_id) & (User.id == ApiToken.user_id))
            .join(Tenant, Tenant.id == ApiToken.tenant_id)
            .where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None))
        )
        # The role, in the same statement, where the layer above declares it (patron.rbac).
        role = getattr(User, "role", None)
        if role is not None:
            statement = statement.outerjoin(role).options(contains_eager(role))
        found = db.session.execute(statement).one_or_none()
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


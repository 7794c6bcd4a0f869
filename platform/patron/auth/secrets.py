"""Opaque credentials that carry their tenant: ``<kind>_<tenant hex>_<secret>``.

The tenant id travels in clear so the tenant context (and with it PostgreSQL's RLS setting) is
set *before* the credential is looked up; the secret is stored only as its SHA-256 hash.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid


def make_credential(kind: str, tenant_id: uuid.UUID) -> tuple[str, str]:
    """Return ``(credential, sha256 hex of it)`` for a new credential of ``kind``."""
    raw = f"{kind}_{tenant_id.hex}_{secrets.token_urlsafe(32)}"
    return raw, digest(raw)


def digest(raw: str) -> str:
    """SHA-256 hex digest of a credential."""
    return hashlib.sha256(raw.encode()).hexdigest()


def tenant_of(kind: str, raw: str) -> uuid.UUID | None:
    """The tenant id a credential names, or None if it is not of ``kind`` or malformed."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != kind:
        return None
    try:
        return uuid.UUID(hex=parts[1])
    except ValueError:
        return None

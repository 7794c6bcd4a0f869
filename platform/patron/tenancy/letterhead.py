"""The tenant's letterhead logo: a PNG or JPEG image of at most :data:`MAX_LOGO_BYTES`,
recognised by its content (not its name), kept in the tenant's row."""

from __future__ import annotations

import base64

from sqlalchemy import select

from patron.db import db, require_tenant_id
from patron.errors import ValidationFailed
from patron.tenancy.models import Tenant

MAX_LOGO_BYTES = 512 * 1024
#: The first bytes of each image type a logo may be.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` when ``data`` starts like one, else ``None``."""
    return next((kind for head, kind in SIGNATURES.items() if data.startswith(head)), None)


def set_logo(data: bytes) -> Tenant:
    """Make ``data`` the current tenant's logo; a 422 on ``file`` unless it is a PNG or JPEG
    image of at most :data:`MAX_LOGO_BYTES`."""
    kind = image_type(data)
    if kind is None:
        raise ValidationFailed({"file": ["Upload a PNG or JPEG image."]})
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed({"file": ["The logo may be at most 512 KB."]})
    tenant = db.session.get(Tenant, require_tenant_id())
    tenant.logo, tenant.logo_type = data, kind
    db.session.flush()
    return tenant


def remove_logo() -> Tenant:
    """Take the current tenant's logo away."""
    tenant = db.session.get(Tenant, require_tenant_id())
    tenant.logo, tenant.logo_type = None, None
    db.session.flush()
    return tenant


def current_logo() -> tuple[bytes, str] | None:
    """The current tenant's logo and its type, if it has one."""
    row = db.session.execute(select(Tenant.logo, Tenant.logo_type).where(
        Tenant.id == require_tenant_id())).first()
    return (row.logo, row.logo_type) if row is not None and row.logo is not None else None


def logo_data_url() -> str | None:
    """The current tenant's logo as a ``data:`` URL, for documents that carry it inside
    (the printed quote, its PDF), or ``None``."""
    logo = current_logo()
    if logo is None:
        return None
    return f"data:{logo[1]};base64,{base64.b64encode(logo[0]).decode()}"

"""``/tenant/logo``: the letterhead logo of the tenant's quotes (upload, read, remove)."""

from __future__ import annotations

from flask import Response, abort

from patron.api.uploads import UploadBlueprint
from patron.customers.attachments import UPLOAD_SETTING, max_upload_bytes
from patron.rbac.access import require, require_user
from patron.schemas import BaseSchema, FileField
from patron.tenancy.letterhead import current_logo, remove_logo, set_logo
from patron.tenancy.schemas import TenantSchema

blp = UploadBlueprint("letterhead", __name__, description="The tenant's letterhead logo",
                      max_bytes=max_upload_bytes, setting=UPLOAD_SETTING)
UPDATE = "core.tenant.update"


class LogoSchema(BaseSchema):
    """``PUT /tenant/logo``: a multipart body with the image."""

    file = FileField(required=True, metadata={"type": "string", "format": "binary",
                                              "description": "A PNG or JPEG image, 512 KB at most"})


@blp.route("/tenant/logo", methods=["PUT"])
@blp.arguments(LogoSchema, location="multipart")
@blp.response(200, TenantSchema)
def put_logo(data: dict):
    """Set the letterhead logo (a PNG or JPEG image, 512 KB at most; admin)"""
    require(UPDATE)
    return set_logo(data["file"].read(512 * 1024 + 1))


@blp.route("/tenant/logo", methods=["GET"])
@blp.response(200, {"format": "binary", "type": "string"}, content_type="image/png")
def get_logo():
    """The letterhead logo (404 when none is set)"""
    require_user()
    logo = current_logo()
    if logo is None:
        abort(404, description="no logo is set")
    return Response(logo[0], mimetype=logo[1])


@blp.route("/tenant/logo", methods=["DELETE"])
@blp.response(200, TenantSchema)
def delete_logo():
    """Remove the letterhead logo (admin)"""
    require(UPDATE)
    return remove_logo()

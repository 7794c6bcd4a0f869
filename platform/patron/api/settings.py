"""``GET`` and ``PATCH`` of a module's settings (:mod:`patron.records.settings`)."""

from __future__ import annotations

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import expected_version
from patron.rbac.access import require
from patron.records.settings import TenantSettings
from patron.schemas import patch_schema


def register_settings(blp: PatronBlueprint, path: str, settings: TenantSettings, *,
                      read: str, update: str, title: str) -> None:
    """Add ``GET path`` (needs permission ``read``) and ``PATCH path`` (``update``; If-Match or
    ``version``: stale is 409) for ``settings`` to ``blp``; ``title`` names them in the
    OpenAPI document ("The tenant's pool settings")."""
    schema = settings.spec.schema
    endpoint = path.strip("/").replace("-", "_").replace("/", "_")

    def read_view():
        require(read)
        return settings.current()

    def update_view(data: dict):
        require(update)
        expected = expected_version(data)
        return settings.change(data, expected)

    read_view.__doc__ = title
    update_view.__doc__ = f"Change {title[0].lower()}{title[1:]} (If-Match or version: " \
                          "stale is 409)"
    blp.route(path, endpoint=f"{endpoint}_read", methods=["GET"])(
        blp.response(200, schema)(read_view))
    blp.route(path, endpoint=f"{endpoint}_update", methods=["PATCH"])(
        blp.arguments(patch_schema(schema)(partial=True))(
            blp.response(200, schema)(update_view)))

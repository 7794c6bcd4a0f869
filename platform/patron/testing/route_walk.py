"""Walking every route of the URL map, for the isolation and data-scope harnesses.

The harnesses are generated from ``app.url_map``: a new route — the core's, a built-in
plugin's or a partner's — is walked the moment it exists. Request bodies for writes are
generated from the route's OpenAPI request schema (its required fields, with values of the
right type); :data:`BODIES` overrides that where a valid body needs real ids or meaning, or is
an upload (:class:`Multipart`). A write route with neither fails the harness, so nobody has to
remember to cover it. Send a body with ``client.open(url, **request_body(body))``.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask

#: Routes that are the same for every caller and carry no tenant data.
PUBLIC = {"/static/<path:filename>", "/healthz", "/readyz", "/api/v1/openapi.json",
          "/api/docs", "/api/docs/<path:filename>", "/login"}


@dataclass(frozen=True)
class Multipart:
    """A ``multipart/form-data`` body: form fields, and files as ``{field: (bytes, name)}``."""

    fields: dict[str, str]
    files: dict[str, tuple[bytes, str]]


#: Request bodies for write routes, by rule; a callable gets the context, which holds the
#: ``role_id`` of a role and the ``account_id`` of an account to refer to.
BODIES: dict[str, dict | Callable[[dict], dict | Multipart]] = {
    "/api/v1/users": lambda ctx: {"email": "walker@example.test", "role_id": ctx["role_id"],
                                  "password": "walker-pass-1"},
    "/api/v1/users/<uuid:record_id>": {"name": "Renamed"},
    "/api/v1/roles": {"key": "walker", "name": "Walker"},
    "/api/v1/tenant": {"name": "Renamed tenant"},
    # Webhook URLs must resolve to an allowed network: harnesses allow loopback.
    "/api/v1/webhooks": {"url": "http://127.0.0.1:9/walker"},
    "/api/v1/custom-fields": {"entity": "account", "name": "walker", "label": "Walker",
                              "type": "text"},
    "/api/v1/me/password": {"current_password": "wrong-password", "new_password": "whatever1"},
    "/api/v1/auth/token": {"tenant": "nobody", "email": "x@example.test", "password": "x"},
    "/logout": {},
    "/api/v1/attachments": lambda ctx: Multipart(
        {"parent_entity": "account", "parent_id": ctx["account_id"]},
        {"file": (b"walker", "walker.txt")}),
    "/api/v1/imports": lambda ctx: Multipart({"resource": "account"},
                                             {"file": (b"Name\nWalker\n", "walker.csv")}),
    "/api/v1/sales/opportunities": lambda ctx: {"name": "Walker deal",
                                                "account_id": ctx["account_id"]},
    "/api/v1/sales/quotes": lambda ctx: {"name": "Walker quote", "account_id": ctx["account_id"]},
    "/api/v1/sales/orders": lambda ctx: {"account_id": ctx["account_id"], "total": "1"},
    "/api/v1/sales/contracts": lambda ctx: {"name": "Walker contract",
                                            "account_id": ctx["account_id"]},
    "/api/v1/service/contracts": lambda ctx: {"name": "Walker coverage",
                                              "account_id": ctx["account_id"],
                                              "starts_on": "2030-01-01", "ends_on": "2030-12-31"},
}

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    """One rule and method of the URL map."""

    rule: str
    method: str

    @property
    def collection(self) -> str:
        """The collection an id in this rule refers to: the path before the first converter."""
        return self.rule.split("<", 1)[0].rstrip("/")

    @property
    def has_id(self) -> bool:
        return "<uuid:" in self.rule

    @property
    def is_page(self) -> bool:
        """A web page (HTML forms) rather than an API route."""
        return not self.rule.startswith("/api/")

    def url(self, record_id: str | None, module: str) -> str:
        def fill(match: re.Match) -> str:
            converter, name = match.groups()
            if converter == "uuid":
                return record_id or ""
            if name == "name":
                return module
            if name == "entity":
                return "account"
            if name == "filename":
                return "x"
            return "x"

        return CONVERTER.sub(fill, self.rule)


def routes(app: Flask) -> Iterator[Route]:
    """Every (rule, method) pair of the app except the public, tenant-free ones."""
    for rule in app.url_map.iter_rules():
        if rule.rule in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield Route(rule.rule, method)


def openapi_path(rule: str) -> str:
    """``/api/v1/x/<uuid:record_id>`` → ``/api/v1/x/{record_id}``."""
    return CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule)


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _sample(spec: dict, schema: dict):
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    samples = {"uuid": str(uuid.uuid4()), "email": "walker@example.test",
               "date-time": "2030-01-01T00:00:00+00:00", "date": "2030-01-01", "decimal": "1",
               "url": "https://example.test", "uri": "https://example.test"}
    if kind == "string":
        return samples.get(fmt, "walker")
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object" or "properties" in schema:
        return {name: _sample(spec, schema["properties"][name])
                for name in schema.get("required", [])}
    raise AssertionError(f"cannot make a sample of {schema}")


def body_for(route: Route, context: dict, spec: dict) -> dict | Multipart | None:
    """The request body for a write route (``None`` for reads, deletes and bodiless writes)."""
    if route.method in ("GET", "DELETE"):
        return None
    body = BODIES.get(route.rule)
    if body is None and route.is_page:
        return {}  # a form: without its CSRF token the page refuses it (400)
    if body is not None:
        return body(context) if callable(body) else dict(body)
    operation = spec["paths"].get(openapi_path(route.rule), {}).get(route.method.lower())
    assert operation is not None, (
        f"{route.method} {route.rule} is not in the OpenAPI document and has no body in BODIES"
    )
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _sample(spec, content["application/json"]["schema"])


def request_body(body: dict | Multipart | None) -> dict:
    """Keyword arguments for a test client's ``open`` that send ``body``."""
    if isinstance(body, Multipart):
        files = {name: (io.BytesIO(content), filename)
                 for name, (content, filename) in body.files.items()}
        return {"data": {**body.fields, **files}, "content_type": "multipart/form-data"}
    return {"json": body}


def enable_every_module(api) -> None:
    """Switch on every installed module for ``api``'s tenant, so its routes are walked too
    (a module that needs another is switched on after it)."""
    waiting = [module["name"] for module in api.get("/modules").get_json()["items"]]
    while waiting:
        refused = [name for name in waiting
                   if api.put(f"/modules/{name}", json={"enabled": True}).status_code != 200]
        assert len(refused) < len(waiting), f"cannot enable {refused}"
        waiting = refused


def seed_collections(app: Flask, api, spec: dict, context: dict) -> set[str]:
    """One record, made through its own ``POST``, in every collection that has item routes
    and a ``POST`` (``context`` fills references such as ``account_id``); returns them."""
    collections = {route.collection for route in routes(app)
                   if route.has_id and not route.is_page}
    seeded = set()
    for route in routes(app):
        if route.method == "POST" and route.rule in collections:
            response = api.open(route.rule, method="POST",
                                **request_body(body_for(route, context, spec)))
            assert response.status_code in (201, 202), (  # 202: an import waits for a worker
                f"cannot seed {route.rule}: {response.get_json()}")
            seeded.add(route.rule)
    return seeded


def walk_items_owned_by(app: Flask, owner, outsider, spec: dict, context: dict,
                        prefix: str = "/api/") -> set[str]:
    """Call every item route under ``prefix`` as ``outsider`` with a record ``owner`` owns;
    each must answer 404 (the data-scope harness). Returns the collections walked."""
    walked = set()
    for route in routes(app):
        if not route.has_id or route.is_page or not route.rule.startswith(prefix):
            continue
        listing = owner.open(route.collection)
        items = listing.get_json().get("items", []) if listing.status_code == 200 else []
        owned = [item for item in items if item.get("owner_id") == owner.user_id]
        if not owned:
            continue
        response = outsider.open(route.url(owned[0]["id"], module="x"), method=route.method,
                                 **request_body(body_for(route, context, spec)))
        assert response.status_code == 404, f"{route.method} {route.rule}"
        walked.add(route.collection)
    return walked

"""Walking every route of the URL map, for the isolation and data-scope harnesses.

The harnesses are generated from ``app.url_map``: a new route — the core's, a built-in
plugin's or a partner's — is walked the moment it exists. Request bodies for writes are
generated from the route's OpenAPI request schema (its required fields, with values of the
right type; a reference such as ``product_id`` names a record the walk made); :data:`BODIES`
overrides that where a valid body needs meaning, or is an upload (:class:`Multipart`). A write
route with neither fails the harness, so nobody has to remember to cover it. Send a body
with ``client.open(url, **request_body(body))``.

Every id in a walked URL is a real one of the right collection (:func:`fill`): the API
collection at the path before it (``/api/v1/sales/quotes/<quote>/lines`` for the line of
``…/quotes/<uuid:record_id>/lines/<uuid:row_id>``), the entity's collection for
``/records/<entity>/…``, the same collection under ``/api/v1`` for a page, or the one
:data:`ALIASES` names. :func:`seed_collections` makes the records: one in every collection
with a ``POST``, nested ones under their parent. A route whose ids the walk cannot find fails
the harness (:class:`Unwalkable`).
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import HTTPException

from patron.bulk.models import BulkJob
from patron.db import db, tenant_context
from patron.entities import entities, lookups, schema_of
from patron.notifications import notify
from patron.records.spec import spec_for
from patron.web.models import SavedView

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
    "/api/v1/service/technicians/<uuid:record_id>/time-off": {
        "starts_at": "2030-01-07T08:00:00+00:00", "ends_at": "2030-01-07T12:00:00+00:00"},
}

#: Where a path's records are listed when it is not the API collection at the same path (for
#: a page, ``/api/v1`` + its path, or that without its first segment: ``/admin/users`` →
#: ``/api/v1/users``): path → the API collection whose ids follow it.
ALIASES: dict[str, str] = {
    "/sales/deals": "/api/v1/sales/opportunities",
    "/service/my-jobs": "/api/v1/service/work-orders",
    "/tasks": "/api/v1/activities",
    "/calendar/events": "/api/v1/activities",
    "/notifications": "/api/v1/me/notifications",
    # Any account: a claim answers 409 for one in scope that is not in the pool.
    "/api/v1/sales/pool": "/api/v1/accounts",
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
    def collections(self) -> list[str]:
        """The rule before each of its ids, e.g. ``/api/v1/sales/quotes`` and
        ``/api/v1/sales/quotes/<uuid:record_id>/lines`` for a quote's line."""
        return [self.rule[:match.start()].rstrip("/") for match in CONVERTER.finditer(self.rule)
                if match.group(1) == "uuid"]

    @property
    def is_page(self) -> bool:
        """A web page (HTML forms) rather than an API route."""
        return not self.rule.startswith("/api/")

    def url(self, record_id: str | None, module: str) -> str:
        """The rule with every id ``record_id`` (see :func:`fill` for real ids of each)."""
        def value(match: re.Match) -> str:
            converter, name = match.groups()
            if converter == "uuid":
                return record_id or ""
            if name == "name":
                return module
            if name == "entity":
                return "account"
            return "x"

        return CONVERTER.sub(value, self.rule)


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


#: ``refer(field)``: the id a reference field (``product_id``, ``technician_ids``) should
#: name, or ``None`` when the walk knows none.
Refer = Callable[[str], "str | None"]


def _sample(spec: dict, schema: dict, refer: Refer | None = None, name: str = ""):
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "string" and fmt == "uuid" and refer and name.endswith("_id"):
        return refer(name) or str(uuid.uuid4())
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
        named = refer(name.removesuffix("s")) if refer and name.endswith("_ids") else None
        return [named] if named else []
    if kind == "object" or "properties" in schema:
        return {field: _sample(spec, schema["properties"][field], refer, field)
                for field in schema.get("required", [])}
    raise AssertionError(f"cannot make a sample of {schema}")


def body_for(route: Route, context: dict, spec: dict,
             refer: Refer | None = None) -> dict | Multipart | None:
    """The request body for a write route (``None`` for reads, deletes and bodiless writes).

    A generated body's reference fields name ``context[field]``, else ``refer(field)``'s
    record, else a random id.
    """
    if route.method in ("GET", "DELETE"):
        return None
    body = BODIES.get(route.rule)
    if body is None and route.is_page:
        return {}  # a form: the page walks send their own fields and the CSRF token
    if body is not None:
        return body(context) if callable(body) else dict(body)
    operation = spec["paths"].get(openapi_path(route.rule), {}).get(route.method.lower())
    assert operation is not None, (
        f"{route.method} {route.rule} is not in the OpenAPI document and has no body in BODIES"
    )
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None

    def reference(field: str) -> str | None:
        return context.get(field) or (refer(field) if refer else None)

    return _sample(spec, content["application/json"]["schema"], reference)


def request_body(body: dict | Multipart | None) -> dict:
    """Keyword arguments for a test client's ``open`` that send ``body``."""
    if isinstance(body, Multipart):
        files = {name: (io.BytesIO(content), filename)
                 for name, (content, filename) in body.files.items()}
        return {"data": {**body.fields, **files}, "content_type": "multipart/form-data"}
    return {"json": body}


def enable_every_module(api, only: set[str] | None = None) -> None:
    """Switch on every installed module (or those of them named in ``only``) for ``api``'s
    tenant, so its routes are walked too (a module that needs another is switched on after
    it)."""
    waiting = [module["name"] for module in api.get("/modules").get_json()["items"]
               if only is None or module["name"] in only]
    while waiting:
        refused = [name for name in waiting
                   if api.put(f"/modules/{name}", json={"enabled": True}).status_code != 200]
        assert len(refused) < len(waiting), f"cannot enable {refused}"
        waiting = refused


def response_text(response) -> str:
    """What a page shows as text, read to the end: its body, or the text of a PDF (a quote's),
    so that a walk looks inside documents as well as pages."""
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader  # a test dependency; the kit's other users never need it

        return "\n".join(page.extract_text() for page in PdfReader(
            io.BytesIO(response.get_data())).pages)
    return response.get_data(as_text=True)


class Unwalkable(AssertionError):
    """The walk cannot fill a route's ids with real records: seed them (or name the
    collection in :data:`ALIASES`)."""


class Records:
    """The records of one tenant as ``api``'s user finds them: the items each collection
    lists, read once per path (a page's path is translated to its API collection), and ids
    of records no API lists, added with :meth:`add` (saved views, say)."""

    def __init__(self, app: Flask, api) -> None:
        self.app = app
        self.api = api
        self._added: dict[str, list[dict]] = {}
        self._read: dict[str, list[dict]] = {}

    def add(self, path: str, ids: list[str]) -> None:
        """Record ``ids`` as what ``path`` lists."""
        self._added.setdefault(path.rstrip("/"), []).extend({"id": str(i)} for i in ids)

    def forget(self) -> None:
        """Read every collection again next time (records were made or changed)."""
        self._read.clear()

    def items(self, path: str) -> list[dict]:
        """What the collection at ``path`` (an API or page path, ids filled in) lists."""
        path = path.rstrip("/")
        if path in self._added:
            return self._added[path]
        if path not in self._read:
            collection = collection_path(self.app, path)
            response = self.api.open(collection)
            assert response.status_code == 200, (
                f"GET {collection} (for {path}): {response.status_code}")
            self._read[path] = response.get_json()["items"]
        return self._read[path]

    def known(self) -> dict[str, list[dict]]:
        """Every path read or added so far, with its items."""
        return {**self._read, **self._added}

    def ids(self) -> set[str]:
        """Every id read or added so far."""
        return {str(item["id"]) for items in self.known().values() for item in items}

    def refer(self, near: str) -> Refer:
        """``refer(field)`` for a body sent to ``near``: ``product_id`` names the first
        product, from the collection of that name in ``near``'s module or else the core's."""
        def reference(field: str) -> str | None:
            noun = field.removesuffix("_id").replace("_", "-")
            plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
            module = near.removeprefix("/api/v1/").split("/", 1)[0]
            for path in (f"/api/v1/{module}/{plural}", f"/api/v1/{plural}"):
                if _lists(self.app, path):
                    items = self.items(path)
                    return str(items[0]["id"]) if items else None
            return None
        return reference


def _lists(app: Flask, path: str) -> bool:
    """Whether ``GET path`` is a route of ``app``."""
    try:
        app.url_map.bind("localhost").match(path.split("?", 1)[0], method="GET")
    except HTTPException:
        return False
    return True


def entity_collection(app: Flask, entity: str) -> str:
    """The API collection of an entity with pages (``/records/<entity>/``)."""
    with app.app_context():
        module = entities()[entity].module
        name = spec_for(entity).name
    return f"/api/v1/{module}/{name}" if module else f"/api/v1/{name}"


def page_entities(app: Flask) -> list[str]:
    """Entities whose records have pages (``/records/<entity>/…``)."""
    with app.app_context():
        return sorted(name for name in entities() if schema_of(name) is not None)


def collection_path(app: Flask, path: str) -> str:
    """The API collection that lists the records whose ids follow ``path`` in a URL."""
    path = path.rstrip("/")
    for alias, target in ALIASES.items():
        if path == alias or path.startswith(alias + "/"):
            return target + path[len(alias):]
    if path.startswith("/api/"):
        return path
    if match := re.fullmatch(r"/records/([\w-]+)", path):
        return entity_collection(app, match.group(1))
    if match := re.fullmatch(r"/records/([\w-]+)/([\w-]+)/attachments", path):
        return f"/api/v1/attachments?parent_entity={match.group(1)}&parent_id={match.group(2)}"
    for candidate in (f"/api/v1{path}", "/api/v1/" + path.split("/", 2)[-1]):
        if _lists(app, candidate):
            return candidate
    raise Unwalkable(f"no API collection lists the records of {path}: name it in ALIASES")


def fill(app: Flask, route: Route, records: Records, module: str = "x",
         entity: str = "account", choose: Callable[[dict], bool] | None = None) -> str:
    """``route``'s URL with real ids: each takes a record the collection before it lists in
    ``records``, the first one for which the ids after it can be found too (for the first
    id, only records ``choose`` accepts). ``<entity>`` (and ``<resource>``) becomes
    ``entity``, ``<name>`` ``module``, ``<lookup>`` a registered lookup that another field
    narrows; other converters ``x``."""
    rule = route.rule
    named = {"entity": entity, "resource": entity, "name": module}
    if "<lookup>" in rule:
        named["lookup"] = _narrowed_lookup(app)

    def rest(url: str, matches: list[re.Match], end: int, first: bool) -> str:
        if not matches:
            return url + rule[end:]
        match, *others = matches
        url += rule[end:match.start()]
        converter, name = match.groups()
        if converter != "uuid":
            value = named.get(name, "x")
            return rest(url + value, others, match.end(), first)
        items = records.items(url)
        if first and choose is not None:
            items = [item for item in items if choose(item)]
        failure = Unwalkable(f"{route.method} {rule}: no record listed by {url.rstrip('/')} "
                             "to walk it with")
        for item in items if first else items[:1]:
            try:
                return rest(url + str(item["id"]), others, match.end(), False)
            except Unwalkable as error:
                failure = error
        raise failure

    return rest("", list(CONVERTER.finditer(rule)), 0, True)


def _narrowed_lookup(app: Flask) -> str:
    """A registered lookup whose choices another field narrows (``x`` if there is none)."""
    with app.app_context():
        return next((name for name, (_, lookup) in lookups().items() if lookup.narrowed_by),
                    "x")


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def mixed(own_url: str, their_url: str) -> str | None:
    """For a URL with more than one id (a record and its child): ``own_url`` with its last
    id, the child's, taken from ``their_url`` (the same route filled with another tenant's
    records); ``None`` for a URL with one id or none."""
    own, theirs = UUID.findall(own_url), UUID.findall(their_url)
    if len(own) < 2:
        return None
    head, _, tail = own_url.rpartition(own[-1])
    return head + theirs[-1] + tail


def seed_collections(app: Flask, api, spec: dict, context: dict,
                     records: Records | None = None, only: set[str] | None = None) -> set[str]:
    """One record, made through its own ``POST``, in every API collection of records that
    has one (the rule before an id, with a ``POST``) and belongs to the core or a module the
    tenant has on: nested ones under the first record of their parent (one of ``api``'s
    user's, if the parents have owners), references naming records already made
    (``context`` first: the ``account_id`` and ``role_id`` to use); ``only`` these
    collection rules, if given. Returns the collection rules seeded."""
    records = records or Records(app, api)
    off = tuple(f"/api/v1/{module['name']}/" for module in api.get("/modules").get_json()["items"]
                if not module["enabled"])

    def mine(item: dict) -> bool:
        return item.get("owner_id", api.user_id) == api.user_id

    posts = {route.rule for route in routes(app) if route.method == "POST"}
    waiting = sorted({collection for route in routes(app) if not route.is_page
                      for collection in route.collections
                      if collection in posts and not collection.startswith(off)
                      and (only is None or collection in only)},
                     key=lambda rule: (rule.count("<"), rule))
    seeded: set[str] = set()
    while waiting:
        refused = {}
        for rule in waiting:
            route = Route(rule, "POST")
            try:
                url = fill(app, route, records, choose=mine)
            except Unwalkable:
                url = fill(app, route, records)
            body = body_for(route, context, spec, records.refer(rule))
            response = api.open(url, method="POST", **request_body(body))
            if response.status_code in (200, 201, 202):  # 202: an import waits for a worker
                seeded.add(rule)
                records.forget()
            else:
                refused[rule] = response.get_json()
        assert len(refused) < len(waiting), f"cannot seed {refused}"
        waiting = list(refused)
    return seeded


def seed_tenant(app: Flask, api, spec: dict, name: str = "walker",
                modules: set[str] | None = None) -> Records:
    """Every installed module (or those named in ``modules``) switched on for ``api``'s
    tenant, an account called ``name``, then a record in every collection of the core and
    those modules (:func:`seed_collections`); returns the tenant's records as ``api``'s user
    finds them."""
    enable_every_module(api, modules)
    account = api.post("/accounts", json={"name": f"{name} account",
                                          "domain": f"{name.lower()}.test"})
    assert account.status_code == 201, account.get_json()
    role = api.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    records = Records(app, api)
    seed_collections(app, api, spec, {"role_id": role, "account_id": account.get_json()["id"]},
                     records)
    _seed_notification(app, api, name)
    return records


def _seed_notification(app: Flask, api, name: str) -> None:
    """A notification for ``api``'s user: modules make them from events that concern someone
    other than who acted, so none of the walk's own requests leaves one."""
    tenant_id = uuid.UUID(api.get("/me").get_json()["tenant"]["id"])
    with app.test_request_context(), tenant_context(tenant_id):
        notify([api.user_id], name, kind="walker.notice", link="/")
        db.session.commit()


def seed_page_records(app: Flask, api, records: Records, name: str = "walker") -> None:
    """What pages name besides the API's collections, for ``api``'s user: a file attached
    to the first record of every entity with pages, a saved view of each entity and a bulk
    job over its first record."""
    entities = page_entities(app)
    for entity in entities:
        parent = records.items(f"/records/{entity}")[0]["id"]
        response = api.post("/attachments", **request_body(Multipart(
            {"parent_entity": entity, "parent_id": parent},
            {"file": (name.encode(), f"{name}.txt")})))
        assert response.status_code == 201, response.get_json()
    tenant_id = uuid.UUID(api.get("/me").get_json()["tenant"]["id"])
    with app.app_context(), tenant_context(tenant_id):
        user_id = uuid.UUID(api.user_id)
        views = {entity: SavedView(user_id=user_id, entity=entity, name=name, query="q=x")
                 for entity in entities}
        jobs = {entity: BulkJob(owner_id=user_id, entity=entity, action="delete")
                for entity in entities}
        db.session.add_all([*views.values(), *jobs.values()])
        db.session.commit()
        for entity in entities:
            records.add(f"/records/{entity}/views", [str(views[entity].id)])
            records.add(f"/records/{entity}/bulk", [str(jobs[entity].id)])
        db.session.remove()
    records.forget()


def walk_items_owned_by(app: Flask, owner, outsider, spec: dict, context: dict,
                        prefix: str = "/api/") -> set[str]:
    """Call every item route under ``prefix`` as ``outsider`` with a record ``owner`` owns
    (and that record's first child, for a nested route); each must answer 404 (the
    data-scope harness), while the owner reads what it names. A nested route is also called
    with a record of the outsider's own and the owner's child of one, where the outsider owns
    such a record (seed the outsider's records to walk these too). Collections whose records
    carry no owner are left out; one that lists nothing, or nothing of ``owner``'s, fails
    the walk. Returns the collections walked."""
    records, theirs = Records(app, owner), Records(app, outsider)
    walked = set()
    for route in routes(app):
        if not route.has_id or route.is_page or not route.rule.startswith(prefix):
            continue
        items = records.items(route.collections[0])
        if not items:
            raise Unwalkable(f"{route.method} {route.rule}: "
                             f"{collection_path(app, route.collections[0])} lists nothing")
        if not any("owner_id" in item for item in items):
            continue  # records nobody owns: no data scope to walk
        url = fill(app, route, records, choose=lambda item: item["owner_id"] == owner.user_id)
        if route.method == "GET":
            with owner.open(url) as response:  # closed: a download holds its file open
                assert response.status_code == 200, f"the owner cannot GET {url}"
        body = request_body(body_for(route, context, spec, records.refer(route.rule)))
        own = [item for item in theirs.items(route.collections[0])
               if item.get("owner_id") == outsider.user_id] if len(route.collections) > 1 else []
        if own:  # the outsider's record, the owner's child of one
            child = url.replace(UUID.search(url).group(0), str(own[0]["id"]), 1)
            response = outsider.open(child, method=route.method, **body)
            assert response.status_code == 404, f"{route.method} {child}: {response.status_code}"
            body = request_body(body_for(route, context, spec, records.refer(route.rule)))
        response = outsider.open(url, method=route.method, **body)
        assert response.status_code == 404, f"{route.method} {route.rule}: {response.status_code}"
        walked.add(route.collection)
    return walked


def page_urls(app: Flask, records: Records, slug: str) -> list[str]:
    """Every GET page of the URL map with real ids of ``records``, once per entity with pages
    where the rule names one; ``<slug>`` is the tenant's (its public pages)."""
    entities = page_entities(app)
    urls = []
    for route in routes(app):
        if not route.is_page or route.method != "GET":
            continue
        route = Route(route.rule.replace("<slug>", slug), route.method)
        for entity in entities if "<entity>" in route.rule else ("account",):
            urls.append(fill(app, route, records, entity=entity))
    return urls

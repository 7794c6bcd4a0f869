"""A page of a list costs the same number of SQL statements whatever its size (issue 6).

Every paged list of the API (a ``GET`` whose OpenAPI operation takes ``limit``: the core's,
a built-in plugin's and a partner's alike) is found in the URL map and the OpenAPI document,
so a new list is covered the moment it exists. Each listable resource gets :data:`SEED`
records through its own ``POST`` (the route walker's request bodies, numbered so that unique
fields stay unique); lists without a ``POST`` of their own (the audit log, a webhook's
deliveries, search) fill up as a side effect. Then ``?limit=5`` and ``?limit=50`` must run
the same number of statements: an N+1 (a lazy load or a lookup per record) makes the bigger
page cost more. Counted with SQLAlchemy's ``before_cursor_execute`` on the app's engine.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from patron.records.listing import VIEWS_FROM
from patron.testing.queries import counted_statements
from patron.testing.route_walk import Multipart, Route, body_for, openapi_path, request_body, routes

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: Records made per listable resource: more than the small page, so an N+1 would show.
SEED = 8
SMALL, LARGE = 5, 50
#: Query parameters a list needs besides ``limit`` (search answers nothing without words).
REQUIRED_PARAMS = {"/api/v1/search": {"q": "walker"}}
#: Lists without a POST of their own whose records the harness cannot make through other
#: routes yet: checked whenever they do hold records, skipped when they do not.
CANNOT_FILL = {
    "/api/v1/sales/approvals": "approval requests are made by quotes that need approval",
    "/api/v1/me/notifications": "notifications are made by events that concern someone else",
}
#: Statements a list may add, by design, when its page is shorter than ``limit``.
SHORT_PAGE_EXTRA = {
    # On PostgreSQL a short page of hits also looks for titles containing the whole query
    # (patron.db.fulltext.title_contains): one statement, whatever the number of hits.
    "/api/v1/search": 1,
}


@pytest.fixture
def patron_config():
    """The seeded webhooks point at loopback (nothing listens; nothing is delivered)."""
    return {"PATRON_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}


def numbered(body, number: int):
    """``body`` made the ``number``-th of its kind, so unique fields stay unique: the walker
    marker numbered (``walker`` → ``walker3``: e-mail addresses, role keys, custom-field
    names) and dates moved by ``number`` months (a quota per month, say)."""
    if isinstance(body, Multipart):
        return Multipart(numbered(body.fields, number),
                         {name: (content, numbered(filename, number))
                          for name, (content, filename) in body.files.items()})
    if isinstance(body, dict):
        return {key: numbered(value, number) for key, value in body.items()}
    if isinstance(body, list):
        return [numbered(value, number) for value in body]
    if isinstance(body, str) and ISO_DATE.match(body):
        moved = date.fromisoformat(body[:10]) + timedelta(days=31 * number)
        return moved.isoformat() + body[10:]
    if isinstance(body, str):
        return re.sub(r"(?i)walker", lambda match: f"{match.group(0)}{number}", body)
    return body


def list_routes(app, spec: dict) -> list[Route]:
    """Every paged list of the API: a GET whose OpenAPI operation takes ``limit``."""
    found = []
    for route in routes(app):
        operation = spec["paths"].get(openapi_path(route.rule), {}).get("get")
        if route.method == "GET" and operation and any(
                parameter["name"] == "limit" for parameter in operation.get("parameters", [])):
            found.append(route)
    return found


def seed(app, api, spec: dict, lists: list[Route], context: dict) -> None:
    """:data:`SEED` records of every list that has a ``POST`` on the same rule; lists nested
    under a record (``/webhooks/<id>/deliveries``) come last, once their parents exist."""
    creatable = {route.rule for route in routes(app) if route.method == "POST"}
    for route in sorted(lists, key=lambda r: (r.has_id, r.rule != "/api/v1/webhooks")):
        if route.rule not in creatable:
            continue
        post = Route(route.rule, "POST")
        for number in range(SEED):
            body = numbered(body_for(post, context, spec), number)
            response = api.open(route.url(parent_id(api, route), "x"), method="POST",
                                **request_body(body))
            assert response.status_code in (201, 202), (
                f"cannot seed {route.rule}: {response.get_json()}")


def parent_id(api, route: Route) -> str | None:
    """The id of the record a nested list hangs under (the first of its collection)."""
    if not route.has_id:
        return None
    items = api.open(route.collection).get_json()["items"]
    assert items, f"seed a record of {route.collection} for {route.rule}"
    return items[0]["id"]


def statements_for(app, api, url: str, params: dict) -> tuple[list[str], int]:
    """The statements one request ran, and how many items it answered."""
    with counted_statements(app) as statements:
        response = api.open(url, query_string=params)
    assert response.status_code == 200, f"{url}: {response.get_json()}"
    return statements, len(response.get_json()["items"])


def enable_every_module(api) -> None:
    """Switch on every installed module, so their lists are walked too."""
    for module in api.get("/modules").get_json()["items"]:
        api.put(f"/modules/{module['name']}", json={"enabled": True})


class TooFew(Exception):
    """The harness could not put more records in a list than the small page holds."""


def growth(app, api, route: Route) -> str | None:
    """How a page of 50 costs more statements than a page of 5 (``None``: it does not);
    :class:`TooFew` when the list has too few records to tell."""
    url = route.url(parent_id(api, route), "x")
    params = REQUIRED_PARAMS.get(route.rule, {})
    statements_for(app, api, url, {**params, "limit": LARGE})  # warm what a process caches
    small, small_items = statements_for(app, api, url, {**params, "limit": SMALL})
    large, large_items = statements_for(app, api, url, {**params, "limit": LARGE})
    if large_items <= small_items:
        raise TooFew(f"{route.rule} listed only {large_items}")
    if len(large) <= len(small) + SHORT_PAGE_EXTRA.get(route.rule, 0):
        return None
    more = Counter(large) - Counter(small)
    return (f"{route.rule}: {len(small)} statements for {small_items} items, {len(large)} for "
            f"{large_items}; repeated: {[s[:160] for s in more]}")


def seeded_lists(app, api) -> list[Route]:
    """The tenant's paged lists, each seeded with records."""
    enable_every_module(api)
    spec = api.open("/api/v1/openapi.json").get_json()
    account = api.post("/accounts", json={"name": "walker account"}).get_json()
    role = api.get("/roles?key=sales_rep").get_json()["items"][0]["id"]
    lists = list_routes(app, spec)
    seed(app, api, spec, lists, {"role_id": role, "account_id": account["id"]})
    return lists


def test_every_list_page_costs_a_constant_number_of_queries(app, auth, tenant):
    api = auth.api(tenant)
    lists = seeded_lists(app, api)
    assert {"/api/v1/accounts", "/api/v1/contacts", "/api/v1/search",
            "/api/v1/webhooks/<uuid:webhook_id>/deliveries"} <= {r.rule for r in lists}
    growing, too_few = [], []
    for route in lists:
        try:
            if found := growth(app, api, route):
                growing.append(found)
        except TooFew as error:
            if route.rule not in CANNOT_FILL:
                too_few.append(str(error))
    assert not too_few, (
        "seed more records of these lists (a POST on the list's own rule with a body the "
        f"route walker can make, or an entry in CANNOT_FILL): {too_few}")
    assert not growing, "N+1:\n" + "\n".join(growing)


def test_every_list_item_reads_as_its_record_does(app, auth, tenant):
    """A list of a page large enough pages its records as read-only views
    (patron.records.views); each item must still read exactly as ``GET`` of the record
    answers it."""
    api = auth.api(tenant)
    lists = seeded_lists(app, api)
    items = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    compared = set()
    for route in lists:
        if route.has_id or f"{route.rule}/<uuid:record_id>" not in items:
            continue
        params = REQUIRED_PARAMS.get(route.rule, {})
        page = api.open(route.rule, query_string={**params, "limit": VIEWS_FROM})
        for item in page.get_json()["items"]:
            record = api.open(f"{route.rule}/{item['id']}").get_json()
            assert item == record, route.rule
        compared.add(route.rule)
    assert {"/api/v1/accounts", "/api/v1/contacts", "/api/v1/products", "/api/v1/activities",
            "/api/v1/sales/opportunities", "/api/v1/service/tickets"} <= compared

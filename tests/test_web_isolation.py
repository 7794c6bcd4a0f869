"""Tenant isolation of the pages: every page route with an id, walked by another tenant's
admin with this tenant's ids (of every kind), answers 404 and shows nothing of them.

The route list comes from the URL map, so a page added later is walked as soon as it exists.
"""

from __future__ import annotations

import io
import re

from patron.db import db
from patron.testing.fixtures import csrf_token_from, in_tenant
from patron.web.models import SavedView

MARKER = "ACME-CONFIDENTIAL"


def _seed(app, auth, tenant) -> list[str]:
    """One record of every kind a page route can name, in ``tenant``; returns their ids."""
    api = auth.api(tenant)
    ids = [api.post("/accounts", json={"name": f"{MARKER} account"}).get_json()["id"],
           api.post("/contacts", json={"last_name": MARKER}).get_json()["id"],
           api.post("/products", json={"sku": "S", "name": MARKER}).get_json()["id"],
           api.post("/departments", json={"name": MARKER}).get_json()["id"],
           api.post("/custom-fields", json={"entity": "account", "name": "secret",
                                            "label": MARKER, "type": "text"}).get_json()["id"],
           api.post("/tokens", json={"name": MARKER}).get_json()["id"],
           str(tenant.admin_id),
           api.get("/roles?key=admin").get_json()["items"][0]["id"]]
    ids.append(api.post("/activities", json={"kind": "note", "subject": MARKER,
                                             "account_id": ids[0]}).get_json()["id"])
    ids.append(api.post("/attachments", data={
        "file": (io.BytesIO(MARKER.encode()), "secret.txt"), "parent_entity": "account",
        "parent_id": ids[0]}, content_type="multipart/form-data").get_json()["id"])
    ids.append(api.post("/imports", data={
        "file": (io.BytesIO(f"Name\n{MARKER}\n".encode()), "secret.csv"),
        "resource": "account"}, content_type="multipart/form-data").get_json()["id"])
    with in_tenant(app, tenant):
        view = SavedView(user_id=tenant.admin_id, entity="account", name=MARKER, query="q=x")
        db.session.add(view)
        db.session.flush()
        ids.append(str(view.id))
    return ids


def _page_routes(app):
    """Every route of the web UI (anything outside ``/api/``) that carries a record id."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") and "<uuid:" in rule.rule:
            yield rule


def test_no_page_reaches_another_tenants_records(app, auth, tenant, other_tenant, client):
    a_ids = _seed(app, auth, tenant)
    auth.login(other_tenant)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    entities = ("account", "contact", "product", "activity")
    checked = 0
    for rule in _page_routes(app):
        for entity in entities if "<entity>" in rule.rule else ("-",):
            for record_id in a_ids:
                url = re.sub(r"<uuid:\w+>", record_id, rule.rule.replace("<entity>", entity))
                for method in sorted(rule.methods & {"GET", "POST"}):
                    response = client.open(url, method=method, data={
                        "csrf_token": token, "version": "1", "name": "Hijacked",
                        "label": "Hijacked", "active": "false", "to": "up"})
                    assert response.status_code == 404, f"{method} {url}: {response.status_code}"
                    assert MARKER not in response.get_data(as_text=True)
                    checked += 1
    assert checked > 250
    api = auth.api(tenant)
    assert api.get(f"/accounts/{a_ids[0]}").get_json()["name"] == f"{MARKER} account"
    assert api.get("/me").get_json()["user"]["is_active"] is True


def test_json_posts_without_a_form_token_are_refused(app, auth, tenant, other_tenant):
    """What the API harness sends (a bearer token and JSON) changes nothing through a page."""
    a_ids = _seed(app, auth, tenant)
    globex = auth.api(other_tenant)
    for rule in _page_routes(app):
        if "POST" not in rule.methods:
            continue
        url = re.sub(r"<uuid:\w+>", a_ids[0], rule.rule.replace("<entity>", "account"))
        response = globex.open(url, method="POST", json={"name": "Hijacked"})
        assert response.status_code in (400, 404), f"POST {url}: {response.status_code}"
    assert auth.api(tenant).get(f"/accounts/{a_ids[0]}").get_json()["name"] == (
        f"{MARKER} account")

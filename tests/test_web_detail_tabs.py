"""The tabs of a record's page: the timeline (with its "log an activity" form) and the files
(upload, download, delete), through the Flask test client."""

from __future__ import annotations

import html
import io
import re
from datetime import datetime
from pathlib import Path

import pytest

from patron.testing.fixtures import csrf_token_from

LIMIT = 2048


@pytest.fixture
def patron_config():
    return {"PATRON_UPLOAD_MAX_BYTES": LIMIT, "PATRON_UPLOAD_ALLOWED_TYPES": ".txt, .pdf"}


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


@pytest.fixture
def signed_in(auth, tenant, client):
    """The tenant's admin, signed in through the form; returns the test client."""
    auth.login(tenant)
    return client


def csrf(client) -> str:
    return csrf_token_from(client.get("/login").get_data(as_text=True))


def created(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def pane(page: str, name: str) -> str:
    """The HTML of one tab pane of a record's page."""
    match = re.search(rf'<div class="tab-pane[^"]*" id="pane-{name}".*?(?=<div class="tab-pane|'
                      r"\Z)", page, re.S)
    assert match, f"no {name} tab"
    return match.group(0)


def active_tab(page: str) -> str:
    return re.search(r'<button class="nav-link[^"]* active" id="tab-(\w+)"', page).group(1)


def entries(page: str) -> list[str]:
    """The subjects on the timeline tab, top to bottom."""
    return [html.unescape(s) for s in re.findall(
        r'<a class="fw-semibold[^"]*" href="/records/activity/[^"]+">([^<]+)</a>',
        pane(page, "timeline"))]


# ---- timeline ------------------------------------------------------------------------------


def test_every_tab_is_there_for_an_admin(signed_in, api):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    page = signed_in.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert re.findall(r'id="tab-(\w+)"', page) == ["details", "timeline", "files", "history"]
    assert active_tab(page) == "details" and 'id="log-activity"' in page
    assert active_tab(signed_in.get(f"/records/account/{account['id']}?tab=files").get_data(
        as_text=True)) == "files"


def test_the_timeline_shows_the_records_activities_newest_first(
        signed_in, api, auth, other_tenant):
    acme = created(api.post("/accounts", json={"name": "Acme"}))
    other = created(api.post("/accounts", json={"name": "Other"}))
    doe = created(api.post("/contacts", json={"last_name": "Doe", "account_id": acme["id"]}))
    product = created(api.post("/products", json={"sku": "P1", "name": "Widget"}))
    for body in ({"subject": "Called Acme", "account_id": acme["id"]},
                 {"subject": "Called Other", "account_id": other["id"]},
                 {"subject": "Met Doe", "contact_id": doe["id"]},
                 {"subject": "Demoed the widget", "related_entity": "product",
                  "related_id": product["id"]}):
        created(api.post("/activities", json={"kind": "call_out", **body}))
    neighbour = auth.api(other_tenant)
    theirs = created(neighbour.post("/accounts", json={"name": "Globex"}))
    created(neighbour.post("/activities", json={"kind": "note", "subject": "Globex secret",
                                                "account_id": theirs["id"]}))

    account_page = signed_in.get(f"/records/account/{acme['id']}").get_data(as_text=True)
    assert entries(account_page) == ["Met Doe", "Called Acme"]  # a contact's are its account's
    contact_page = signed_in.get(f"/records/contact/{doe['id']}").get_data(as_text=True)
    assert entries(contact_page) == ["Met Doe"]
    product_page = signed_in.get(f"/records/product/{product['id']}").get_data(as_text=True)
    assert entries(product_page) == ["Demoed the widget"]
    assert "Globex secret" not in account_page
    all_url = f"/records/activity/?account_id={acme['id']}"
    assert all_url in pane(account_page, "timeline")
    listed = signed_in.get(all_url).get_data(as_text=True)
    assert "Called Acme" in listed and "Met Doe" in listed and "Called Other" not in listed


def test_the_timeline_keeps_to_the_users_data_scope(client, auth, tenant, api, make_user):
    account = created(api.post("/accounts", json={"name": "Shared"}))
    created(api.post("/activities", json={"kind": "note", "subject": "Admin's note",
                                          "account_id": account["id"]}))
    # Service agents read every account but only their own activities.
    agent = make_user(tenant, "service_agent", email="agent@acme.test")
    created(agent.post("/activities", json={"kind": "visit", "subject": "Agent's visit",
                                            "account_id": account["id"]}))
    auth.login(tenant, email="agent@acme.test")
    page = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert entries(page) == ["Agent's visit"]
    assert "Admin&#39;s note" not in page


def test_logging_an_activity_from_the_timeline(signed_in, api):
    api.patch("/tenant", json={"timezone": "Asia/Shanghai"})
    account = created(api.post("/accounts", json={"name": "Acme"}))
    response = signed_in.post(f"/records/account/{account['id']}/activities", data={
        "csrf_token": csrf(signed_in), "kind": "call_out", "subject": "Follow up on quote",
        "due_at": "2027-03-01T09:30", "priority": "high", "description": "Ask about seats"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/records/account/{account['id']}?tab=timeline")
    [activity] = api.get(f"/activities?account_id={account['id']}").get_json()["items"]
    assert (activity["subject"], activity["kind"], activity["priority"]) == (
        "Follow up on quote", "call_out", "high")
    assert datetime.fromisoformat(activity["due_at"]) == datetime.fromisoformat(
        "2027-03-01T09:30:00+08:00")
    audit = api.get(f"/audit-events?entity=activity&record_id={activity['id']}").get_json()
    assert [(e["action"], e["interface"]) for e in audit["items"]] == [("create", "web")]
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert active_tab(page) == "timeline" and "Activity logged." in page
    assert entries(page) == ["Follow up on quote"] and "Ask about seats" in page


def test_a_bad_activity_shows_inline_errors_and_creates_nothing(signed_in, api):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    response = signed_in.post(f"/records/account/{account['id']}/activities", data={
        "csrf_token": csrf(signed_in), "kind": "call_out", "subject": "",
        "due_at": "next week", "description": "kept text"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and active_tab(page) == "timeline"
    form = pane(page, "timeline")
    assert re.search(r'id="f-subject-error">This field is required\.', form)
    assert re.search(r'id="f-due_at-error">Enter a date and time\.', form)
    assert ">kept text</textarea>" in form and 'value="call_out" selected' in form
    refused = signed_in.post(f"/records/account/{account['id']}/activities", data={
        "csrf_token": csrf(signed_in), "kind": "smoke signal", "subject": "Puff"})
    assert refused.status_code == 422 and "Must be one of" in refused.get_data(as_text=True)
    assert api.get("/activities?count=true").get_json()["total"] == 0


def test_logging_needs_the_permission_and_the_form_token(client, auth, tenant, api, make_user):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    url = f"/records/account/{account['id']}/activities"
    make_user(tenant, "read_only", email="reader@acme.test")
    auth.login(tenant, email="reader@acme.test")
    page = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    assert 'id="tab-timeline"' in page and 'id="log-activity"' not in page
    assert client.post(url, data={"csrf_token": csrf(client), "kind": "note",
                                  "subject": "No"}).status_code == 403
    auth.login(tenant)
    assert client.post(url, data={"kind": "note", "subject": "Forged"}).status_code == 400
    assert api.get("/activities?count=true").get_json()["total"] == 0


def test_tabs_need_their_own_permissions(client, auth, tenant, api, make_user):
    created(api.post("/roles", json={"key": "accounts_only", "name": "Accounts only",
                                     "permissions": ["core.accounts.read"],
                                     "default_scope": "all"}))
    account = created(api.post("/accounts", json={"name": "Acme"}))
    created(api.post("/activities", json={"kind": "note", "subject": "Hidden note",
                                          "account_id": account["id"]}))
    make_user(tenant, "accounts_only", email="narrow@acme.test")
    auth.login(tenant, email="narrow@acme.test")
    page = client.get(f"/records/account/{account['id']}?tab=timeline").get_data(as_text=True)
    assert re.findall(r'id="tab-(\w+)"', page) == ["details"] and active_tab(page) == "details"
    assert "Hidden note" not in page


# ---- files ---------------------------------------------------------------------------------


def upload(client, url: str, content: bytes, filename: str, token: str | None = None):
    return client.post(url, content_type="multipart/form-data", data={
        "csrf_token": token or csrf(client), "file": (io.BytesIO(content), filename)})


def stored_files(app) -> list[Path]:
    return [p for p in (Path(app.config["PATRON_HOME"]) / "files").rglob("*") if p.is_file()]


def test_upload_download_and_delete_from_the_page(app, signed_in, api):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    url = f"/records/account/{account['id']}/attachments"
    response = upload(signed_in, url, b"minutes of the meeting", "minutes.txt")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("?tab=files")
    [attachment] = api.get(f"/attachments?parent_id={account['id']}").get_json()["items"]
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    files = pane(page, "files")
    assert active_tab(page) == "files" and "“minutes.txt” attached." in page
    link = f'href="/api/v1/attachments/{attachment["id"]}/content">minutes.txt</a>'
    assert link in files and "22 B" in files
    with signed_in.get(f"/api/v1/attachments/{attachment['id']}/content") as download:
        assert download.status_code == 200 and download.data == b"minutes of the meeting"
    delete_url = f"{url}/{attachment['id']}/delete"
    assert f'action="{delete_url}"' in files
    deleted = signed_in.post(delete_url, data={"csrf_token": csrf(signed_in)})
    assert deleted.status_code == 302
    assert "“minutes.txt” deleted." in signed_in.get(deleted.headers["Location"]).get_data(
        as_text=True)
    assert api.get("/attachments?count=true").get_json()["total"] == 0
    assert stored_files(app) == []


def test_oversized_and_forbidden_files_are_refused_with_a_clear_message(app, signed_in, api):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    url = f"/records/account/{account['id']}/attachments"
    too_large = upload(signed_in, url, b"x" * (LIMIT + 1), "big.txt")
    page = too_large.get_data(as_text=True)
    assert too_large.status_code == 413 and active_tab(page) == "files"
    assert "The file was not stored." in page
    assert "The file is larger than 2 KB, the most a file may be; nothing was stored." in page
    forbidden = upload(signed_in, url, b"<script>", "page.html")
    page = forbidden.get_data(as_text=True)
    assert forbidden.status_code == 422 and "The file was not stored." in page
    assert "Files of type text/html (.html) cannot be uploaded; allowed: .txt, .pdf." in page
    missing = signed_in.post(url, content_type="multipart/form-data",
                             data={"csrf_token": csrf(signed_in)})
    assert missing.status_code == 422 and "Choose a file to upload." in missing.get_data(
        as_text=True)
    assert api.get("/attachments?count=true").get_json()["total"] == 0
    assert stored_files(app) == []


def test_files_need_their_permissions(client, auth, tenant, api, make_user):
    account = created(api.post("/accounts", json={"name": "Acme"}))
    url = f"/records/account/{account['id']}/attachments"
    attachment_id = created(api.post("/attachments", content_type="multipart/form-data", data={
        "parent_entity": "account", "parent_id": account["id"],
        "file": (io.BytesIO(b"terms"), "terms.txt")}))["id"]
    make_user(tenant, "read_only", email="reader@acme.test")
    auth.login(tenant, email="reader@acme.test")
    page = client.get(f"/records/account/{account['id']}").get_data(as_text=True)
    files = pane(page, "files")
    assert "terms.txt" in files and 'id="upload-file"' not in files and "/delete" not in files
    token = csrf(client)
    assert upload(client, url, b"no", "no.txt", token).status_code == 403
    assert client.post(f"{url}/{attachment_id}/delete",
                       data={"csrf_token": token}).status_code == 403
    assert api.get("/attachments?count=true").get_json()["total"] == 1


def test_a_file_is_deleted_only_through_its_own_record(signed_in, api):
    first = created(api.post("/accounts", json={"name": "First"}))
    second = created(api.post("/accounts", json={"name": "Second"}))
    attachment_id = created(api.post("/attachments", content_type="multipart/form-data", data={
        "parent_entity": "account", "parent_id": first["id"],
        "file": (io.BytesIO(b"terms"), "terms.txt")}))["id"]
    wrong = f"/records/account/{second['id']}/attachments/{attachment_id}/delete"
    assert signed_in.post(wrong, data={"csrf_token": csrf(signed_in)}).status_code == 404
    assert api.get(f"/attachments/{attachment_id}").status_code == 200

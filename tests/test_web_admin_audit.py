"""The audit-log page (``/admin/audit``) through the Flask test client."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime

URL = "/admin/audit"


@pytest.fixture
def admin(auth, tenant, client):
    """The tenant's admin signed in through the form; returns ``(client, api client)``."""
    auth.login(tenant)
    return client, auth.api(tenant)


def page(client, query: str = "", **kwargs) -> str:
    response = client.get(f"{URL}?{query}", **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def rows(text: str) -> list[str]:
    """The table rows of the page (or of an htmx fragment), "Load more" left out."""
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in text else text
    return [r for r in re.findall(r"<tr>.*?</tr>", body, re.S)]


def test_events_are_listed_newest_first_with_links_to_live_records(admin):
    client, api = admin
    kept = api.post("/accounts", json={"name": "Alpha"}).get_json()
    api.patch(f"/accounts/{kept['id']}", json={"name": "Alpha Ltd"})
    gone = api.post("/accounts", json={"name": "Ephemeral"}).get_json()
    api.delete(f"/accounts/{gone['id']}")
    text = page(client)
    assert 'id="admin-sections"' in text and f'href="{URL}"' in text
    listed = rows(text)
    assert "Ephemeral" in listed[0] and "Delete" in listed[0]
    update = next(r for r in listed if "Alpha → Alpha Ltd" in r)
    create = next(r for r in listed if "Create" in r and "Alpha" in r and "Ephemeral" not in r)
    assert listed.index(update) < listed.index(create)
    assert f'href="/records/account/{kept["id"]}"' in update and "API" in update
    assert all(f"/records/account/{gone['id']}" not in r for r in listed)
    assert gone["id"] in listed[0]  # a deleted record is named by its id, without a link


def test_time_is_shown_in_the_tenants_time_zone(admin):
    client, api = admin
    assert api.patch("/tenant", json={"timezone": "Asia/Shanghai"}).status_code == 200
    record = api.post("/accounts", json={"name": "Clockwork"}).get_json()
    event = api.get(f"/audit-events?record_id={record['id']}").get_json()["items"][0]
    moment = datetime.fromisoformat(event["occurred_at"])
    local = format_datetime(moment, "medium", tzinfo=ZoneInfo("Asia/Shanghai"), locale="en")
    assert local in html.unescape(page(client, f"record_id={record['id']}"))


def test_filters_by_entity_action_interface_actor_and_date(admin, tenant, make_user):
    client, api = admin
    account = api.post("/accounts", json={"name": "Filtered account"}).get_json()
    api.patch(f"/accounts/{account['id']}", json={"name": "Filtered account 2"})
    api.post("/contacts", json={"last_name": "Filtered contact"})
    rep = make_user(tenant, "sales_rep")
    api_rep_account = rep.post("/accounts", json={"name": "Rep account"}).get_json()
    assert api_rep_account["name"] == "Rep account"

    contacts = page(client, "entity=contact")
    assert "Filtered contact" in contacts and "Filtered account" not in contacts
    updates = rows(page(client, "action=update"))
    assert updates and all("Update" in r for r in updates)
    assert any("Filtered account → Filtered account 2" in r for r in updates)
    assert "No events match." in page(client, "entity=contact&interface=cli")
    assert "Filtered contact" in page(client, "entity=contact&interface=api")
    by_rep = page(client, f"actor_id={rep.user_id}")
    assert "Rep account" in by_rep and "Filtered contact" not in by_rep
    today = datetime.now(UTC).date()
    around = page(client, f"occurred_at__gte={today - timedelta(days=1)}"
                          f"&occurred_at__lte={today + timedelta(days=1)}")
    assert "Filtered contact" in around
    assert "No events match." in page(client, f"occurred_at__gte={today + timedelta(days=2)}")
    form = page(client, "entity=contact&action=create")
    assert '<option value="contact" selected>' in form
    assert '<option value="create" selected>' in form


def test_load_more_pages_through_the_log_with_htmx(admin):
    client, api = admin
    names = {f"Paged {n:02d}" for n in range(53)}
    for name in sorted(names):
        assert api.post("/accounts", json={"name": name}).status_code == 201
    first = page(client, "entity=account&action=create")
    assert len(rows(first)) == 50
    button = re.search(r'hx-get="([^"]+)" hx-target="#load-more"', first)
    assert button, "no Load more button"
    more = client.get(html.unescape(button.group(1)), headers={"HX-Request": "true"})
    assert more.status_code == 200
    fragment = more.get_data(as_text=True)
    assert "<html" not in fragment and "load-more" not in fragment
    seen = re.findall(r">(Paged \d\d)</a>", first + fragment)  # each record's link
    assert len(seen) == len(names) and set(seen) == names


def test_bad_filter_values_are_explained_not_crashed_on(admin):
    client, _ = admin
    for query, message in (("actor_id=nobody", "Actor: Not a valid UUID."),
                           ("occurred_at__gte=yesterday", "From: Enter a date and time."),
                           ("cursor=garbage", "Page: not a valid cursor"),
                           ("colour=red", "colour: Unknown filter."),
                           ("sort=-colour", "Order: Cannot sort by: colour.")):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 422, query
        assert message in html.unescape(response.get_data(as_text=True)), query


def test_another_tenants_events_never_appear(admin, auth, other_tenant):
    client, _ = admin
    globex = auth.api(other_tenant)
    secret = globex.post("/accounts", json={"name": "GLOBEX-SECRET"}).get_json()
    globex.post("/departments", json={"name": "GLOBEX-DEPARTMENT"})
    assert "GLOBEX" not in page(client) and secret["id"] not in page(client)
    for query in (f"record_id={secret['id']}", f"actor_id={other_tenant.admin_id}",
                  "entity=department"):
        text = page(client, query)
        assert "GLOBEX" not in text and not rows(text) and "No events match." in text, query
    assert '<option value="department"' not in page(client)


def test_reading_the_log_needs_the_permission(auth, tenant, make_user):
    rep = make_user(tenant, "sales_rep")
    assert rep.open(URL).status_code == 403
    assert 'href="/admin/audit"' not in rep.open("/admin/").get_data(as_text=True)
    reader = make_user(tenant, "read_only")
    assert reader.open(URL).status_code == 200


def test_fields_hidden_from_the_viewer_are_redacted(admin, auth, tenant, make_user):
    _, api = admin
    api.post("/custom-fields", json={"entity": "account", "name": "margin",
                                     "label": "Margin", "type": "number"})
    created = api.post("/roles", json={
        "key": "auditor", "name": "Auditor", "default_scope": "all",
        "permissions": ["core.audit.read", "core.accounts.read"],
        "field_access": {"account": {"phone": "hidden", "custom.margin": "hidden"}}})
    assert created.status_code == 201, created.get_json()
    account = api.post("/accounts", json={"name": "Redacted", "phone": "+1 555 0199",
                                          "custom": {"margin": 4242}}).get_json()
    api.patch(f"/accounts/{account['id']}", json={"phone": "+1 555 0200",
                                                  "custom": {"margin": 4343}})
    auditor = make_user(tenant, "auditor")
    seen = auditor.open(f"{URL}?record_id={account['id']}").get_data(as_text=True)
    assert "Redacted" in seen
    # Whole values only: a bare "555" or "4242" can turn up inside a random id or token.
    for secret in ("555 0199", "555 0200", "4242", "4343", "Margin"):
        assert not re.search(rf"(?<![0-9A-Za-z]){secret}(?![0-9A-Za-z])", seen), secret
    full = page(admin[0], f"record_id={account['id']}")
    assert "+1 555 0199 → +1 555 0200" in full and "4,242 → 4,343" in full  # as pages show numbers
    assert "Margin" in full
    api_view = auditor.get(f"/audit-events?record_id={account['id']}").get_json()["items"]
    assert all("phone" not in e["changes"] for e in api_view)

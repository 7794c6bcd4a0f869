"""A field rule covers every field that carries the same data (the repro: with a contact's
``email`` hidden for a role, the address was still shown through ``emails`` in the API, the
360° view, exports and the contact page)."""

from __future__ import annotations

import pytest

MARKER = "unique-marker-4711@example.test"


@pytest.fixture
def hidden(auth, tenant, make_user):
    """A service agent (who sees every contact) whose role hides the contact's ``email``
    (only it), and a contact whose address holds a marker; ``(admin, agent, contact,
    account)``."""
    admin = auth.api(tenant)
    role = admin.get("/roles?key=service_agent").get_json()["items"][0]
    changed = admin.patch(f"/roles/{role['id']}", json={"field_access": {"contact": {
        "email": "hidden"}}})
    assert changed.status_code == 200, changed.get_json()
    rep = make_user(tenant, "service_agent")
    account = admin.post("/accounts", json={"name": "Initech"}).get_json()
    contact = admin.post("/contacts", json={"last_name": "Lumbergh", "emails": [MARKER],
                                            "account_id": account["id"]})
    assert contact.status_code == 201, contact.get_json()
    return admin, rep, contact.get_json(), account


def test_the_api_hides_the_whole_group(hidden):
    admin, rep, contact, account = hidden
    one = rep.get(f"/contacts/{contact['id']}").get_json()
    assert "email" not in one and "emails" not in one
    assert MARKER not in str(rep.get("/contacts").get_json())
    assert MARKER not in str(rep.get(f"/accounts/{account['id']}/360").get_json())
    assert MARKER not in rep.get("/exports/contact").get_data(as_text=True)
    assert rep.get(f"/contacts?emails={MARKER}").status_code == 422  # nor filtered on
    assert admin.get(f"/contacts/{contact['id']}").get_json()["emails"] == [MARKER]


def test_pages_hide_the_whole_group(hidden):
    _admin, rep, contact, account = hidden
    for url in (f"/records/contact/{contact['id']}", "/records/contact/",
                f"/records/account/{account['id']}/360", "/search/?q=Lumbergh"):
        page = rep.open(url)
        assert page.status_code == 200, url
        assert MARKER not in page.get_data(as_text=True), url


def test_writing_any_field_of_the_group_is_refused(auth, tenant, make_user):
    admin = auth.api(tenant)
    role = admin.get("/roles?key=sales_rep").get_json()["items"][0]
    admin.patch(f"/roles/{role['id']}", json={"field_access": {"contact": {
        "emails": "read_only"}}})
    rep = make_user(tenant, "sales_rep")
    contact = rep.post("/contacts", json={"last_name": "Waddams"}).get_json()
    for body in ({"email": "a@b.test"}, {"emails": ["a@b.test"]}):
        assert rep.patch(f"/contacts/{contact['id']}", json=body).status_code == 422, body
    assert rep.patch(f"/contacts/{contact['id']}", json={"title": "Stapler"}).status_code == 200

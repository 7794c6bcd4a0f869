"""Record pickers: a reference to an entity's records is a search box whose choices come from
``/records/<entity>/choices`` (only records the user may read, a bounded number), and the
form sends the chosen record's id."""

from __future__ import annotations

import re

import pytest

from patron.testing.fixtures import csrf_token_from


@pytest.fixture
def signed_in(auth, tenant, client):
    """The tenant's admin, signed in through the form; returns the test client."""
    auth.login(tenant)
    return client


def options(html: str) -> list[str]:
    return re.findall(r'role="option" data-value="[^"]+">([^<]+)<', html)


def test_choices_match_what_is_typed_within_a_bounded_list(signed_in, auth, tenant):
    api = auth.api(tenant)
    for number in range(25):
        api.post("/accounts", json={"name": f"Alpha {number:02d}"})
    api.post("/accounts", json={"name": "Beta Logistics"})
    assert options(signed_in.get("/records/account/choices?q=beta").get_data(as_text=True)) \
        == ["Beta Logistics"]
    assert len(options(signed_in.get("/records/account/choices").get_data(as_text=True))) == 20
    assert "Nothing found." in signed_in.get("/records/account/choices?q=zzz").get_data(
        as_text=True)


def test_choices_are_only_what_the_user_may_read(auth, tenant, make_user, client):
    auth.api(tenant).post("/accounts", json={"name": "Admin Holdings"})
    rep = make_user(tenant, "sales_rep", email="rep@acme.test")
    rep.post("/accounts", json={"name": "Rep Holdings"})
    auth.login(tenant, "rep@acme.test")
    for query in ("holdings", ""):
        html = client.get(f"/records/account/choices?q={query}").get_data(as_text=True)
        assert options(html) == ["Rep Holdings"], query


def test_the_form_shows_the_current_title_and_sends_the_chosen_id(signed_in, auth, tenant):
    api = auth.api(tenant)
    beta = api.post("/accounts", json={"name": "Beta Logistics"}).get_json()
    form = signed_in.get(f"/records/contact/new?account_id={beta['id']}").get_data(as_text=True)
    assert re.search(r'<input type="hidden" id="f-account_id" name="account_id" '
                     rf'value="{beta["id"]}" data-title="Beta Logistics">', form)
    assert re.search(r'id="f-account_id-search" name="q" value="Beta Logistics"', form)
    created = signed_in.post("/records/contact/new", data={
        "csrf_token": csrf_token_from(form), "last_name": "Lee", "account_id": beta["id"],
        "q": "Beta Logistics"})
    assert created.status_code == 302
    contact = api.get("/contacts?last_name=Lee").get_json()["items"][0]
    assert contact["account_id"] == beta["id"]

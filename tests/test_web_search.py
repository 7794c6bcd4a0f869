"""Global search in the pages: the top bar's typeahead fragment and the full results page
answer what the API's search answers the same user, grouped by record type and linked."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def signed_in(auth, tenant, client):
    """The tenant's admin, signed in through the form; returns the test client."""
    auth.login(tenant)
    return client


def hit_links(html: str) -> list[tuple[str, str]]:
    """(href, title) of every record linked from a search page or fragment."""
    return re.findall(r'<a[^>]*href="(/records/\w+/[0-9a-f-]{36})"[^>]*>([^<]+)</a>', html)


def test_results_are_grouped_by_record_type_and_link_to_each_record(signed_in, auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Zephyr Holdings"}).get_json()
    contact = api.post("/contacts", json={"first_name": "Zoe", "last_name": "Zephyr",
                                          "account_id": account["id"]}).get_json()
    page = signed_in.get("/search/?q=zephyr").get_data(as_text=True)
    assert "2 records found." in page
    assert ">Accounts</h2>" in page and ">Contacts</h2>" in page
    assert set(hit_links(page)) == {
        (f"/records/account/{account['id']}", "Zephyr Holdings"),
        (f"/records/contact/{contact['id']}", "Zoe Zephyr")}
    fragment = signed_in.get("/search/suggest?q=zeph").get_data(as_text=True)
    assert "<html" not in fragment and len(hit_links(fragment)) == 2
    assert "/search/?q=zeph" in fragment  # "All results"


def test_the_pages_show_what_the_api_gives_the_same_user(app, auth, tenant, make_user, client):
    admin = auth.api(tenant)
    rep = make_user(tenant, "sales_rep", email="rep@acme.test")
    theirs = rep.post("/accounts", json={"name": "Quokka Rep Co"}).get_json()
    admin.post("/accounts", json={"name": "Quokka Admin Co"})  # outside the rep's scope
    from_api = {(hit["entity"], hit["title"]) for hit in rep.get("/search?q=quokka").get_json()[
        "items"]}
    auth.login(tenant, "rep@acme.test")
    page = client.get("/search/?q=quokka").get_data(as_text=True)
    assert from_api == {("account", "Quokka Rep Co")}
    assert hit_links(page) == [(f"/records/account/{theirs['id']}", "Quokka Rep Co")]
    assert "Quokka Admin Co" not in client.get("/search/suggest?q=quokka").get_data(as_text=True)


def test_a_query_that_cannot_be_searched_says_why(signed_in):
    page = signed_in.get("/search/?q=" + "x" * 201).get_data(as_text=True)
    assert "Search for at most 200 characters." in page and "records found" not in page
    unstorable = signed_in.get("/search/?q=a%00b")  # refused for every page alike
    assert unstorable.status_code == 400
    assert "cannot be stored" in unstorable.get_data(as_text=True)
    empty = signed_in.get("/search/suggest?q=%20%20")
    assert empty.status_code == 200 and empty.get_data(as_text=True).strip() == ""


def test_search_pages_need_a_signed_in_user(client):
    for url in ("/search/?q=x", "/search/suggest?q=x"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]

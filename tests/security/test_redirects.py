"""Redirects to a URL the request names stay on this site (the repro: ``POST
/login?next=/%09/evil.example/p`` answered ``Location: //evil.example/p``, and a CR or LF in
``next`` was a 500)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from patron.testing.fixtures import csrf_token_from

HOSTILE = ["/\t/evil.example/p", "//evil.example", "/\\evil.example", "\\/evil.example",
           "/\\/evil.example", "https://evil.example/", "javascript:alert(1)",
           "/\r\nSet-Cookie: x=1", "/\n/evil.example", " //evil.example", "evil.example"]


def _sign_in(client, tenant, next_url: str):
    page = client.get("/login").get_data(as_text=True)
    return client.post(f"/login?next={quote(next_url, safe='')}", data={
        "csrf_token": csrf_token_from(page), "tenant": tenant.slug,
        "email": tenant.admin_email, "password": tenant.password})


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_in_never_redirects_off_site(app, tenant, target):
    client = app.test_client()
    response = _sign_in(client, tenant, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/", target


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_redirects_off_site(client, target):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"csrf_token": csrf_token_from(page),
                                               "locale": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/", target


def test_a_path_on_this_site_is_kept(app, tenant):
    response = _sign_in(app.test_client(), tenant, "/records/account/?q=a%20b")
    assert response.headers["Location"] == "/records/account/?q=a%20b"

"""Signing in and out in a real browser."""

from __future__ import annotations


def test_sign_in_shows_home_and_sign_out_returns_to_login(page, tenant, sign_in):
    page.goto("/")
    assert page.url.endswith("/login?next=/%3F") or "/login" in page.url
    sign_in()
    page.get_by_role("button", name=tenant.admin_email).click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto("/")
    assert "/login" in page.url


def test_wrong_password_shows_an_error(page, sign_in):
    sign_in(password="nope-nope")
    page.get_by_text("Wrong organisation, e-mail or password.").wait_for()
    assert "/login" in page.url

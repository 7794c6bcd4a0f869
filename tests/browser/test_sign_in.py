"""Signing in and out in a real browser."""

from __future__ import annotations

from patron.testing.fixtures import PASSWORD


def sign_in(page, tenant, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Organisation").fill(tenant.slug)
    page.get_by_label("E-mail").fill(tenant.admin_email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_shows_home_and_sign_out_returns_to_login(page, tenant):
    page.goto("/")
    assert page.url.endswith("/login?next=/%3F") or "/login" in page.url
    sign_in(page, tenant)
    page.get_by_text("Welcome, Admin").wait_for()
    page.get_by_role("button", name=tenant.admin_email).click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto("/")
    assert "/login" in page.url


def test_wrong_password_shows_an_error(page, tenant):
    sign_in(page, tenant, password="nope-nope")
    page.get_by_text("Wrong organisation, e-mail or password.").wait_for()
    assert "/login" in page.url

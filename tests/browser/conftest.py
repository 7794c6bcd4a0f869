"""Signing in through the real login page, shared by the browser tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from patron.testing.fixtures import PASSWORD


@pytest.fixture
def sign_in(page, tenant) -> Callable[..., None]:
    """Fills in and sends the login form as ``tenant``'s admin (or with another password)."""
    def send(password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Organisation").fill(tenant.slug)
        page.get_by_label("E-mail").fill(tenant.admin_email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return send


@pytest.fixture
def signed_in(page, sign_in):
    """The browser page with the tenant's admin signed in, on the home page."""
    sign_in()
    page.get_by_text("Welcome, Admin").wait_for()
    return page

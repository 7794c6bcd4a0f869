"""Wrong passwords are counted per account, the same on every worker, and tokens per user
(the repros: with no Redis the failed-login limit was per worker and per address only, there
was no limit per account, ``/me/password`` took unlimited wrong current passwords, and a user
could make tokens without end)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from patron.auth.models import ApiToken, User
from patron.auth.throttling import MAX_FAILURES
from patron.auth.tokens import MAX_TOKENS_PER_HOUR
from patron.testing.fixtures import PASSWORD, csrf_token_from, in_tenant


@pytest.fixture
def patron_config():
    """Per-address limits out of the way: what is tested is the count per account."""
    return {"PATRON_LOGIN_RATE_LIMIT": "1000/minute"}


def _exchange(client, tenant, password: str):
    response = client.post("/api/v1/auth/token", json={
        "tenant": tenant.slug, "email": tenant.admin_email, "password": password})
    response.close()  # as a server does once it has sent the answer: the count is written then
    return response


def test_too_many_wrong_passwords_lock_the_account_everywhere(app, tenant):
    api_client, other_worker = app.test_client(), app.test_client()
    for _ in range(MAX_FAILURES):
        assert _exchange(api_client, tenant, "wrong").status_code == 401
    locked = _exchange(other_worker, tenant, PASSWORD)  # even the right password, elsewhere
    assert locked.status_code == 429
    assert "try again in 15 minutes" in locked.get_json()["detail"]
    page = other_worker.get("/login").get_data(as_text=True)
    signed = other_worker.post("/login", data={
        "csrf_token": csrf_token_from(page), "tenant": tenant.slug,
        "email": tenant.admin_email, "password": PASSWORD})
    assert signed.status_code == 429
    assert "Too many wrong passwords" in signed.get_data(as_text=True)
    with in_tenant(app, tenant):  # a quarter of an hour later
        from patron.db import db

        db.session.execute(update(User).values(
            failed_sign_in_at=datetime.now(UTC) - timedelta(minutes=16)))
        db.session.commit()
    assert _exchange(api_client, tenant, PASSWORD).status_code == 201
    assert _exchange(api_client, tenant, "wrong").status_code == 401  # the count began again


def test_a_right_password_resets_the_count(app, tenant):
    client = app.test_client()
    for _ in range(MAX_FAILURES - 1):
        _exchange(client, tenant, "wrong")
    assert _exchange(client, tenant, PASSWORD).status_code == 201
    for _ in range(MAX_FAILURES - 1):
        assert _exchange(client, tenant, "wrong").status_code == 401


def test_wrong_current_passwords_count_too(auth, tenant):
    api = auth.api(tenant)
    for _ in range(MAX_FAILURES):
        wrong = api.post("/me/password", json={"current_password": "wrong",
                                               "new_password": "a-new-password-1"})
        wrong.close()
        assert wrong.status_code == 422
    locked = api.post("/me/password", json={"current_password": PASSWORD,
                                            "new_password": "a-new-password-1"})
    assert locked.status_code == 429


def test_tokens_are_limited_per_user_and_hour(app, auth, tenant):
    api = auth.api(tenant)
    with in_tenant(app, tenant):
        from patron.db import db

        made = db.session.execute(db.select(ApiToken)).scalars().all()
    for number in range(MAX_TOKENS_PER_HOUR - len(made)):
        assert api.post("/tokens", json={"name": f"script {number}"}).status_code == 201
    refused = api.post("/tokens", json={"name": "one too many"})
    assert refused.status_code == 429
    assert "tokens an hour" in refused.get_json()["detail"]

"""Sign-in and credentials (the repros: the login answered an unknown organisation or e-mail
several times sooner than a wrong password, so accounts could be enumerated by timing; API
tokens outlived a password change; a token could be made already expired)."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest

from patron.testing.fixtures import PASSWORD


class TestTiming:
    """With the production hash (scrypt), whose cost is what a timing attack would see."""

    @pytest.fixture
    def patron_config(self):
        return {"PATRON_PASSWORD_HASH_METHOD": None, "PATRON_LOGIN_RATE_LIMIT": "1000/minute"}

    def test_the_answer_takes_as_long_whether_the_account_exists_or_not(self, client, tenant):
        def median_seconds(tenant_slug: str, email: str) -> float:
            times = []
            for _ in range(7):
                started = time.perf_counter()
                response = client.post("/api/v1/auth/token", json={
                    "tenant": tenant_slug, "email": email, "password": "not-the-password"})
                times.append(time.perf_counter() - started)
                assert response.status_code == 401
            return statistics.median(times)

        wrong_password = median_seconds(tenant.slug, tenant.admin_email)
        unknown_email = median_seconds(tenant.slug, "nobody@example.test")
        unknown_tenant = median_seconds("no-such-organisation", tenant.admin_email)
        # Without the stand-in check the unknown ones answered 10-40 times sooner.
        assert unknown_email > 0.5 * wrong_password
        assert unknown_tenant > 0.5 * wrong_password


def test_a_password_change_revokes_the_users_api_tokens(app, auth, tenant):
    api = auth.api(tenant)
    made = api.post("/tokens", json={"name": "script"}).get_json()
    script = {"Authorization": f"Bearer {made['token']}"}
    client = app.test_client()
    assert client.get("/api/v1/me", headers=script).status_code == 200
    changed = api.post("/me/password", json={"current_password": PASSWORD,
                                              "new_password": "a-new-password-1"})
    assert changed.status_code == 204
    assert client.get("/api/v1/me", headers=script).status_code == 401
    assert api.get("/me").status_code == 401  # the token that asked too
    fresh = client.post("/api/v1/auth/token", json={
        "tenant": tenant.slug, "email": tenant.admin_email, "password": "a-new-password-1"})
    assert fresh.status_code == 201


def test_a_token_cannot_be_made_already_expired(auth, tenant, client):
    api = auth.api(tenant)
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    refused = api.post("/tokens", json={"name": "old", "expires_at": past})
    assert refused.status_code == 422 and "expires_at" in refused.get_json()["errors"]
    exchanged = client.post("/api/v1/auth/token", json={
        "tenant": tenant.slug, "email": tenant.admin_email, "password": PASSWORD,
        "expires_at": past})
    assert exchanged.status_code == 422
    assert all(t["name"] != "old" for t in api.get("/tokens").get_json()["items"])

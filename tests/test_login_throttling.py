"""Repeated failed sign-ins get 429 (flask-limiter), in memory or shared through Redis."""

from __future__ import annotations

import os

import pytest

# A database of its own: the limiter's counters are wiped before each test.
REDIS_URL = os.environ.get("PATRON_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # no server, or the client is not installed
        return False


@pytest.fixture(params=["memory", "redis"])
def patron_config(request):
    config = {"PATRON_LOGIN_RATE_LIMIT": "3 per minute"}
    if request.param == "redis":
        if not _redis_available() and not os.environ.get("CI"):
            pytest.skip("no Redis server reachable")
        config |= {"PATRON_REDIS_URL": REDIS_URL}
    return config


@pytest.fixture(autouse=True)
def fresh_counters(app):
    from patron.extensions import limiter

    limiter.reset()


def _attempt(client, tenant, password):
    return client.post("/api/v1/auth/token", json={"tenant": tenant.slug,
                                                   "email": tenant.admin_email,
                                                   "password": password})


def test_repeated_failed_token_requests_get_429(app, tenant):
    client = app.test_client()
    assert app.config["RATELIMIT_STORAGE_URI"] == app.config.get("PATRON_REDIS_URL", "memory://")
    statuses = [_attempt(client, tenant, "wrong").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    blocked = _attempt(client, tenant, tenant.password)
    assert blocked.status_code == 429
    assert blocked.mimetype == "application/problem+json"
    assert int(blocked.headers["Retry-After"]) > 0


def test_successful_sign_ins_do_not_count(app, tenant):
    client = app.test_client()
    for _ in range(5):
        assert _attempt(client, tenant, tenant.password).status_code == 201


def test_web_login_is_throttled_too(app, auth, tenant):
    client = app.test_client()
    statuses = [auth.login(tenant, password="wrong", client=client).status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]

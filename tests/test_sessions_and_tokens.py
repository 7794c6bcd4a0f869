"""Browser sessions and API tokens: revocable, renewed at login, hashed at rest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from patron.auth.models import ApiToken, User
from patron.testing.fixtures import PASSWORD, in_tenant


def _me(client):
    return client.get("/api/v1/me")


def _csrf(client) -> str:
    import re

    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_login_starts_a_new_session_every_time(app, auth, tenant):
    first, second = app.test_client(), app.test_client()
    assert auth.login(tenant, client=first).status_code == 302
    assert auth.login(tenant, client=second).status_code == 302
    with first.session_transaction() as one, second.session_transaction() as two:
        assert one["_user_id"] != two["_user_id"]
    assert _me(first).get_json()["user"]["email"] == tenant.admin_email


def test_wrong_password_is_401_and_no_session(app, auth, tenant):
    client = app.test_client()
    assert auth.login(tenant, password="wrong", client=client).status_code == 401
    assert _me(client).status_code == 401


def test_logout_ends_the_session_and_a_replayed_cookie_gets_401(app, auth, tenant):
    client = app.test_client()
    auth.login(tenant, client=client)
    with client.session_transaction() as session:
        stolen = dict(session)
    token = _csrf(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(stolen)
    assert _me(replay).status_code == 401


def test_password_change_ends_every_other_session(app, auth, tenant):
    here, elsewhere = app.test_client(), app.test_client()
    auth.login(tenant, client=here)
    auth.login(tenant, client=elsewhere)
    response = here.post(
        "/api/v1/me/password", headers={"X-CSRFToken": _csrf(here)},
        json={"current_password": PASSWORD, "new_password": "a-new-password-1"},
    )
    assert response.status_code == 204
    assert _me(here).status_code == 200
    assert _me(elsewhere).status_code == 401
    again = auth.login(tenant, client=app.test_client(), password="a-new-password-1")
    assert again.status_code == 302


def test_deactivation_ends_sessions_remember_me_and_tokens(app, auth, tenant, make_user):
    rep = make_user(tenant, "sales_rep")
    email = rep.get("/me").get_json()["user"]["email"]
    browser = app.test_client()
    auth.login(tenant, email=email, client=browser, remember=True)
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    admin = auth.api(tenant)
    assert admin.patch(f"/users/{rep.user_id}", json={"is_active": False}).status_code == 200
    assert _me(browser).status_code == 401
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert _me(fresh).status_code == 401
    assert rep.get("/me").status_code == 401
    assert auth.login(tenant, email=email, client=app.test_client()).status_code == 401


def test_cookie_authenticated_api_writes_need_the_csrf_token(app, auth, tenant):
    client = app.test_client()
    auth.login(tenant, client=client)
    assert client.post("/api/v1/accounts", json={"name": "Forged"}).status_code == 400
    ok = client.post("/api/v1/accounts", json={"name": "Mine"},
                     headers={"X-CSRFToken": _csrf(client)})
    assert ok.status_code == 201


def test_login_form_needs_the_csrf_token(app, tenant):
    client = app.test_client()
    response = client.post("/login", data={"tenant": tenant.slug, "email": tenant.admin_email,
                                           "password": PASSWORD})
    assert response.status_code == 400
    assert _me(client).status_code == 401


def test_session_and_remember_cookies_are_httponly_samesite_and_secure(app, auth, tenant):
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    response = auth.login(tenant, client=app.test_client(), remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 2
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_tokens_are_hashed_named_revocable_and_record_last_use(app, auth, tenant):
    api = auth.api(tenant)
    created = api.post("/tokens", json={"name": "laptop"}).get_json()
    secret = created["token"]
    assert created["name"] == "laptop" and created["prefix"] == secret[:12]
    listed = api.get("/tokens").get_json()["items"]
    assert all("token" not in t for t in listed)
    with in_tenant(app, tenant):
        from patron.db import db

        stored = db.session.execute(select(ApiToken.token_hash)).scalars().all()
    assert len(stored) == 2 and secret not in stored  # the test kit's token and "laptop"
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    used = {t["id"]: t for t in api.get("/tokens").get_json()["items"]}[created["id"]]
    assert used["last_used_at"] is not None
    assert api.delete(f"/tokens/{created['id']}").status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_expired_and_malformed_tokens_get_401(app, auth, tenant):
    api = auth.api(tenant)
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    made = api.post("/tokens", json={"name": "old", "expires_at": soon}).get_json()
    expired = made["token"]
    with in_tenant(app, tenant):  # a minute later
        from patron.db import db

        db.session.execute(update(ApiToken).where(ApiToken.id == uuid.UUID(made["id"])).values(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    client = app.test_client()
    for token in (expired, "garbage", f"ptk_{tenant.id.hex}_guess", "ptk_nothex_x"):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"


class TestProductionHashing:
    """The test kit hashes with a cheap method; an app that names none uses scrypt."""

    @pytest.fixture
    def patron_config(self):
        return {"PATRON_PASSWORD_HASH_METHOD": None}

    def test_passwords_are_stored_as_scrypt_hashes(self, app, tenant):
        with in_tenant(app, tenant):
            from patron.db import db

            hashes = db.session.execute(select(User.password_hash)).scalars().all()
        assert hashes and all(h.startswith("scrypt:") and PASSWORD not in h for h in hashes)


def test_hashes_of_either_method_are_accepted(app, auth, tenant):
    """Hashes made with scrypt (production) and with the kit's method both sign in."""
    from patron.auth.passwords import hash_password
    from patron.db import db

    with in_tenant(app, tenant):
        stored = db.session.execute(select(User.password_hash)).scalar_one()
    assert not stored.startswith("scrypt:")  # the kit's cheap method
    assert auth.login(tenant, client=app.test_client()).status_code == 302
    with in_tenant(app, tenant):
        app.config["PATRON_PASSWORD_HASH_METHOD"] = None
        user = db.session.execute(select(User)).scalar_one()
        user.password_hash = hash_password(PASSWORD)
        assert user.password_hash.startswith("scrypt:")
    assert auth.login(tenant, client=app.test_client()).status_code == 302
    assert auth.login(tenant, client=app.test_client(), password="wrong").status_code == 401


def test_suspended_tenant_cannot_sign_in(app, auth, tenant):
    api = auth.api(tenant)
    from patron.db import db
    from patron.tenancy.models import Tenant

    with in_tenant(app, tenant):  # a tenant's row is written only with it current (RLS)
        db.session.get(Tenant, tenant.id).status = "suspended"
    assert api.get("/me").status_code == 401
    assert auth.login(tenant, client=app.test_client()).status_code == 401

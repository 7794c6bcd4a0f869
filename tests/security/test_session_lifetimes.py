"""Browser sessions end on the server (the repro: sessions never expired there, and
remember-me lasted a year): unused for ``PATRON_SESSION_IDLE_MINUTES`` or older than
``PATRON_SESSION_MAX_HOURS``, or, with "remember me", older than ``PATRON_REMEMBER_DAYS``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from patron.auth.models import UserSession
from patron.testing.fixtures import in_tenant


def _age(app, tenant, *, created: timedelta, seen: timedelta) -> None:
    """Make every session of the tenant ``created`` and ``seen`` ago."""
    now = datetime.now(UTC)
    with in_tenant(app, tenant):
        from patron.db import db

        db.session.execute(update(UserSession).values(created_at=now - created,
                                                      last_seen_at=now - seen))
        db.session.commit()


def _signed_in(app, auth, tenant, remember: bool = False):
    client = app.test_client()
    auth.login(tenant, client=client, remember=remember)
    assert client.get("/api/v1/me").status_code == 200
    return client


@pytest.mark.parametrize(("created", "seen", "alive"), [
    (timedelta(hours=3), timedelta(hours=1), True),
    (timedelta(hours=9), timedelta(hours=8, minutes=1), False),   # idle too long
    (timedelta(hours=25), timedelta(minutes=1), False),            # too old, though in use
])
def test_a_session_ends_when_idle_or_old(app, auth, tenant, created, seen, alive):
    client = _signed_in(app, auth, tenant)
    _age(app, tenant, created=created, seen=seen)
    assert (client.get("/api/v1/me").status_code == 200) is alive


def test_use_keeps_a_session_alive(app, auth, tenant):
    client = _signed_in(app, auth, tenant)
    _age(app, tenant, created=timedelta(hours=7), seen=timedelta(hours=7))
    assert client.get("/api/v1/me").status_code == 200  # used now: seen again
    with in_tenant(app, tenant):
        from patron.db import db

        seen = db.session.execute(db.select(UserSession.last_seen_at)).scalars().one()
    assert datetime.now(UTC) - seen < timedelta(minutes=1)


def test_remember_me_lasts_its_days_idle_or_not(app, auth, tenant):
    client = _signed_in(app, auth, tenant, remember=True)
    _age(app, tenant, created=timedelta(days=29), seen=timedelta(days=20))
    assert client.get("/api/v1/me").status_code == 200
    _age(app, tenant, created=timedelta(days=31), seen=timedelta(minutes=1))
    assert client.get("/api/v1/me").status_code == 401
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)

"""The dispatch board page: a day of technicians by the hour, drops that book work orders
through the same checks as the API, refusals that change nothing."""

from __future__ import annotations

import pytest

from patron.testing.fixtures import csrf_token_from

WEEKDAYS = {day: ["08:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
BOARD = "/service/dispatch?day=2030-01-07"


@pytest.fixture
def crew(admin):
    """Two technicians and two waiting work orders (one needs gas skills)."""
    tess = admin.post("/service/technicians", json={"name": "Tess", "skills": ["hvac"],
                                                    "working_hours": WEEKDAYS}).get_json()
    otto = admin.post("/service/technicians", json={"name": "Otto", "region": "South",
                                                    "working_hours": WEEKDAYS}).get_json()
    boiler = admin.post("/service/work-orders", json={"title": "Boiler"}).get_json()
    gas = admin.post("/service/work-orders", json={"title": "Gas leak",
                                                   "required_skills": ["gas"]}).get_json()
    return {"tess": tess, "otto": otto, "boiler": boiler, "gas": gas}


@pytest.fixture
def browser_session(client, auth, tenant, admin):
    """The admin signed in to the pages, with the form token."""
    auth.login(tenant)
    return client, csrf_token_from(client.get("/").get_data(as_text=True))


def _drop(session, order, technician, starts_at, **extra):
    client, token = session
    return client.post("/service/dispatch/schedule", headers={"HX-Request": "true"}, data={
        "csrf_token": token, "work_order_id": order["id"], "technician_id": technician["id"],
        "starts_at": starts_at, "version": str(order["version"]), **extra})


def test_the_board_shows_technicians_slots_and_waiting_orders(admin, crew, browser_session):
    client, _ = browser_session
    page = client.get(BOARD)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Otto" in text and "Tess" in text and "Boiler" in text and "Gas leak" in text
    assert 'data-slot="2030-01-07T07:00:00+00:00"' in text
    assert 'href="/service/dispatch"' in client.get("/").get_data(as_text=True)


def test_a_drop_books_the_order_in_that_slot(admin, crew, browser_session, actions):
    answer = _drop(browser_session, crew["boiler"], crew["tess"], "2030-01-07T10:00:00+00:00")
    assert answer.status_code == 200
    booked = admin.get(f"/service/work-orders/{crew['boiler']['id']}").get_json()
    assert (booked["status"], booked["starts_at"], booked["technician_ids"]) == (
        "scheduled", "2030-01-07T10:00:00+00:00", [crew["tess"]["id"]])
    assert "work_order.scheduled" in actions(admin, crew["boiler"]["id"])
    html = answer.get_data(as_text=True)
    slot = html.index(f'data-technician-id="{crew["tess"]["id"]}" '
                      'data-slot="2030-01-07T10:00:00+00:00"')
    assert html.index("Boiler", slot) < html.index('data-slot="2030-01-07T11:00', slot)
    assert "Boiler" not in html[:html.index('id="dispatch"')]  # no longer waiting


def test_a_refused_drop_shows_why_and_changes_nothing(admin, crew, browser_session):
    refused = _drop(browser_session, crew["gas"], crew["tess"], "2030-01-07T10:00:00+00:00")
    assert refused.status_code == 422
    assert "Nobody booked has the required skill: gas." in refused.get_data(as_text=True)
    assert admin.get(f"/service/work-orders/{crew['gas']['id']}").get_json() == crew["gas"]
    _drop(browser_session, crew["boiler"], crew["otto"], "2030-01-07T10:00:00+00:00")
    clash = admin.post("/service/work-orders", json={"title": "Clash"}).get_json()
    refused = _drop(browser_session, clash, crew["otto"], "2030-01-07T10:30:00+00:00")
    assert refused.status_code == 409 and "Otto is already booked" in (
        refused.get_data(as_text=True))
    forced = _drop(browser_session, clash, crew["otto"], "2030-01-07T10:30:00+00:00",
                   override_reason="Two-person job")
    assert forced.status_code == 200
    assert admin.get(f"/service/work-orders/{clash['id']}").get_json()[
        "schedule_override"].startswith("Two-person job")
    stale = _drop(browser_session, crew["boiler"], crew["otto"], "2030-01-07T12:00:00+00:00")
    assert stale.status_code == 409  # the card's version is the one before the booking


def test_the_week_view_shows_monday_to_sunday_and_books_on_any_day(admin, crew,
                                                                  browser_session):
    client, _ = browser_session
    _drop(browser_session, crew["boiler"], crew["tess"], "2030-01-09T09:00:00+00:00")
    # Any day of the week shows that week, Monday first.
    page = client.get("/service/dispatch?day=2030-01-10&view=week")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2030-01-07 – 2030-01-13" in html and 'data-view="week"' in html
    for day in range(7, 14):
        assert f'data-slot="2030-01-{day:02d}T07:00:00+00:00"' in html
    wednesday = html.index(f'data-technician-id="{crew["tess"]["id"]}" '
                           'data-slot="2030-01-09T09:00:00+00:00"')
    assert html.index("Boiler", wednesday) < html.index('data-slot="2030-01-09T10:00', wednesday)
    assert 'href="/service/dispatch?day=2030-01-17&amp;view=week"' in html
    gas = _drop(browser_session, crew["gas"], crew["tess"], "2030-01-11T08:00:00+00:00",
                view="week")
    assert gas.status_code == 422 and 'data-view="week"' in gas.get_data(as_text=True)
    clash = admin.post("/service/work-orders", json={"title": "Clash"}).get_json()
    booked = _drop(browser_session, clash, crew["otto"], "2030-01-11T08:00:00+00:00",
                   view="week")
    assert booked.status_code == 200 and "2030-01-13T18:00" in booked.get_data(as_text=True)


def test_technicians_cannot_drop(admin, crew, tenant, make_user, client, auth):
    technician = make_user(tenant, "technician", email="tech@acme.test")
    assert technician.get("/service/work-orders").status_code == 200
    auth.login(tenant, "tech@acme.test")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    assert client.get(BOARD).status_code == 200
    refused = client.post("/service/dispatch/schedule", data={
        "csrf_token": token, "work_order_id": crew["boiler"]["id"],
        "technician_id": crew["tess"]["id"], "starts_at": "2030-01-07T10:00:00+00:00"})
    assert refused.status_code == 403


def test_the_board_and_the_support_form_speak_chinese(admin, crew, browser_session, app):
    client, token = browser_session
    client.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    board = client.get(BOARD).get_data(as_text=True)
    assert "派工看板" in board and "未安排" in board and "60 分钟" in board
    visitor = app.test_client()
    token = csrf_token_from(visitor.get("/login").get_data(as_text=True))
    visitor.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    assert "联系 Acme 客户支持" in visitor.get("/t/acme/support").get_data(as_text=True)


def test_a_chinese_dispatcher_reads_refusals_in_chinese(admin, crew, tenant, make_user, client,
                                                        auth):
    agent = make_user(tenant, "service_agent", email="li@acme.test")
    auth.login(tenant, "li@acme.test")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/language", data={"csrf_token": token, "locale": "zh_Hans"})
    session = (client, token)
    refused = _drop(session, crew["gas"], crew["tess"], "2030-01-07T10:00:00+00:00")
    assert refused.status_code == 422
    assert "已安排的人员都不具备所需技能：gas。" in refused.get_data(as_text=True)
    sunday = _drop(session, crew["boiler"], crew["tess"], "2030-01-06T10:00:00+00:00")
    assert "Tess 星期日不上班。" in sunday.get_data(as_text=True)
    _drop(session, crew["boiler"], crew["otto"], "2030-01-07T10:00:00+00:00")
    clash = admin.post("/service/work-orders", json={"title": "Clash"}).get_json()
    refused = _drop(session, clash, crew["otto"], "2030-01-07T10:30:00+00:00")
    assert refused.status_code == 409 and (
        "Otto 在 2030-01-07 10:00–2030-01-07 11:00 已被安排到“Boiler”。") in (
        refused.get_data(as_text=True))
    stale = _drop(session, crew["boiler"], crew["otto"], "2030-01-07T12:00:00+00:00")
    assert stale.status_code == 409 and "此记录已被他人修改" in stale.get_data(as_text=True)
    # The API answers in the caller's language: English for the admin (no locale chosen),
    # Chinese for the agent who chose it.
    english = admin.post(f"/service/work-orders/{clash['id']}/schedule", json={
        "technician_ids": [crew["otto"]["id"]], "starts_at": "2030-01-07T10:30:00+00:00"})
    assert english.get_json()["detail"].startswith("Otto is already booked on “Boiler”")
    chinese = agent.post(f"/service/work-orders/{clash['id']}/schedule", json={
        "technician_ids": [crew["otto"]["id"]], "starts_at": "2030-01-07T10:30:00+00:00"})
    assert chinese.status_code == 409 and chinese.get_json()["detail"].startswith("Otto 在")
    assert admin.get(f"/service/work-orders/{clash['id']}").get_json() == clash

"""SLA due times on tickets (policy per priority, business hours, holidays, time zones,
pauses while waiting on the customer) and the SLA watch job (flags, events, mail once)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from patron.db import db
from patron.events.jobs import run_due_jobs
from patron.events.worker import run_once
from patron.testing.fixtures import in_tenant
from patron.testing.queries import counted_statements
from patron_service.models.tickets import Ticket
from patron_service.services import sla

TICKETS = "/service/tickets"
MONDAY_NINE = datetime(2030, 1, 7, 9, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _ticket(ticket_id: str) -> Ticket:
    return db.session.execute(
        select(Ticket).where(Ticket.id == uuid.UUID(ticket_id))).scalar_one()


def _created(app, tenant, ticket_id: str, created_at: datetime) -> None:
    """Let the ticket have been created at ``created_at``, its due times counted from then."""
    with in_tenant(app, tenant):
        ticket = _ticket(ticket_id)
        ticket.created_at = created_at
        sla.set_due_times(ticket)


def _due(api, ticket_id: str) -> tuple[datetime, datetime]:
    ticket = api.get(f"{TICKETS}/{ticket_id}").get_json()
    return at(ticket["first_response_due_at"]), at(ticket["resolution_due_at"])


def _always_open(admin) -> None:
    for hours in admin.get("/service/business-hours").get_json()["items"]:
        assert admin.delete(f"/service/business-hours/{hours['id']}").status_code == 204


def test_due_times_follow_the_default_policy_in_business_hours(app, admin, tenant,
                                                                new_ticket):
    ticket = new_ticket()
    _created(app, tenant, ticket["id"], MONDAY_NINE)
    # Normal priority: 240 and 1440 business minutes. Monday 09:00 + 4 h = 13:00; three
    # eight-hour days end on Wednesday at 17:00.
    assert _due(admin, ticket["id"]) == (at("2030-01-07T13:00+00:00"),
                                         at("2030-01-09T17:00+00:00"))


def test_due_times_are_counted_in_the_tenants_time_zone(app, admin, tenant, new_ticket):
    assert admin.patch("/tenant", json={"timezone": "America/New_York"}).status_code == 200
    ticket = new_ticket()
    _created(app, tenant, ticket["id"], MONDAY_NINE)
    # 09:00 UTC is 04:00 in New York: the clock starts at 09:00 local (14:00 UTC); + 4 h =
    # 18:00 UTC; three days later it is Wednesday 17:00 local = 22:00 UTC.
    assert _due(admin, ticket["id"]) == (at("2030-01-07T18:00+00:00"),
                                         at("2030-01-09T22:00+00:00"))


def test_waiting_on_the_customer_stops_the_resolution_clock(app, admin, tenant, new_ticket):
    holiday = admin.post("/service/holidays", json={"day": "2030-01-10", "name": "Founders"})
    assert holiday.status_code == 201
    ticket = new_ticket()
    _created(app, tenant, ticket["id"], MONDAY_NINE)
    # Without pauses: due Wednesday 17:00 (the Thursday holiday is not reached).
    assert _due(admin, ticket["id"])[1] == at("2030-01-09T17:00+00:00")
    with in_tenant(app, tenant):
        record = _ticket(ticket["id"])
        sla.pause(record, at("2030-01-08T10:00+00:00"))
        sla.resume(record, at("2030-01-09T11:00+00:00"))
    # Paused Tuesday 10:00–17:00 and Wednesday 09:00–11:00: 540 business minutes. 900 were
    # left at the pause: Wednesday 11–17 (360), Thursday is a holiday, Friday 09–17 (480),
    # Monday 09:00 + 60 = 10:00.
    paused = admin.get(f"{TICKETS}/{ticket['id']}").get_json()
    assert paused["sla_paused_minutes"] == 540 and paused["sla_paused_at"] is None
    assert _due(admin, ticket["id"]) == (at("2030-01-07T13:00+00:00"),
                                         at("2030-01-14T10:00+00:00"))


def test_priority_and_policy_choose_the_targets(admin, new_ticket):
    _always_open(admin)
    ticket = new_ticket()
    created = at(ticket["created_at"])
    assert _due(admin, ticket["id"]) == (created + timedelta(minutes=240),
                                         created + timedelta(minutes=1440))
    urgent = admin.patch(f"{TICKETS}/{ticket['id']}", json={"priority": "urgent"}).get_json()
    assert (at(urgent["first_response_due_at"]), at(urgent["resolution_due_at"])) == (
        created + timedelta(minutes=30), created + timedelta(minutes=240))
    gold = admin.post("/service/sla-policies", json={
        "name": "Gold", "targets": {"urgent": {"first_response_minutes": 10,
                                               "resolution_minutes": 60}}}).get_json()
    moved = admin.patch(f"{TICKETS}/{ticket['id']}", json={"sla_policy_id": gold["id"]})
    assert at(moved.get_json()["resolution_due_at"]) == created + timedelta(minutes=60)
    low = admin.patch(f"{TICKETS}/{ticket['id']}", json={"priority": "low"}).get_json()
    assert low["resolution_due_at"] is None  # Gold has no target for low priority


def test_new_targets_move_the_due_times_of_the_policys_open_tickets(app, admin, tenant,
                                                                    new_ticket):
    gold = admin.post("/service/sla-policies", json={
        "name": "Gold", "targets": {"normal": {"first_response_minutes": 60,
                                               "resolution_minutes": 480}}}).get_json()
    tickets = [new_ticket(sla_policy_id=gold["id"]) for _ in range(3)]
    for ticket in tickets:
        _created(app, tenant, ticket["id"], MONDAY_NINE)
    standard = new_ticket()  # the default policy's: untouched
    done = tickets[2]
    admin.patch(f"{TICKETS}/{done['id']}", json={"status": "resolved"})
    before = {t["id"]: _due(admin, t["id"]) for t in (*tickets, standard)}
    version = admin.get(f"{TICKETS}/{tickets[0]['id']}").get_json()["version"]

    changed = admin.patch(f"/service/sla-policies/{gold['id']}", json={
        "targets": {"normal": {"first_response_minutes": 120, "resolution_minutes": 960}}})
    assert changed.status_code == 200, changed.get_json()
    for ticket in tickets[:2]:
        # Monday 09:00 + 2 h = 11:00; + 16 business hours = Tuesday 17:00.
        assert _due(admin, ticket["id"]) == (at("2030-01-07T11:00+00:00"),
                                             at("2030-01-08T17:00+00:00"))
    assert _due(admin, done["id"]) == before[done["id"]]
    stale = admin.patch(f"{TICKETS}/{tickets[0]['id']}", json={"category": "x"},
                        headers={"If-Match": str(version)})
    assert stale.status_code == 409  # the recomputation bumped the version
    assert _due(admin, standard["id"]) == before[standard["id"]]
    renamed = admin.patch(f"/service/sla-policies/{gold['id']}", json={"name": "Gold+"})
    assert renamed.status_code == 200


def test_recomputing_reads_and_writes_the_tickets_in_batches(app, tenant, admin, new_ticket,
                                                            monkeypatch):
    gold = admin.post("/service/sla-policies", json={"name": "Gold", "targets": {
        "normal": {"first_response_minutes": 60, "resolution_minutes": 480}}}).get_json()
    for _ in range(5):
        new_ticket(sla_policy_id=gold["id"])
    monkeypatch.setattr(sla, "RECOMPUTE_BATCH", 2)
    with in_tenant(app, tenant):
        policy = db.session.execute(select(sla.SlaPolicy).where(
            sla.SlaPolicy.id == uuid.UUID(gold["id"]))).scalar_one()
        policy.targets = {"normal": {"first_response_minutes": 30, "resolution_minutes": 90}}
        with counted_statements(app) as statements:
            assert sla.recompute_open_tickets(policy) == 5
    reads = [s for s in statements if s.lstrip().startswith("SELECT")
             and "FROM service_tickets" in s]
    writes = [s for s in statements if s.lstrip().startswith("UPDATE service_tickets")]
    # Five tickets two at a time: three reads, and at most one write statement per batch
    # (the driver runs it for each row of the batch).
    assert len(reads) == 3 and len(writes) <= 3, statements


def test_policy_and_calendar_rules(admin):
    standard = admin.get("/service/sla-policies").get_json()["items"][0]
    refused = admin.post("/service/sla-policies", json={"name": "Standard"})
    assert refused.status_code == 422 and "name" in refused.get_json()["errors"]
    refused = admin.post("/service/sla-policies", json={
        "name": "Odd", "targets": {"someday": {"first_response_minutes": 1,
                                               "resolution_minutes": 2}}})
    assert refused.status_code == 422
    premium = admin.post("/service/sla-policies", json={"name": "Premium", "is_default": True})
    assert premium.get_json()["is_default"] is True
    assert admin.get(f"/service/sla-policies/{standard['id']}").get_json()["is_default"] is False
    hours = admin.get("/service/business-hours").get_json()["items"][0]
    backwards = admin.patch(f"/service/business-hours/{hours['id']}", json={"end_minute": 60})
    assert backwards.status_code == 422 and "end_minute" in backwards.get_json()["errors"]
    admin.post("/service/holidays", json={"day": "2030-12-25", "name": "Christmas"})
    twice = admin.post("/service/holidays", json={"day": "2030-12-25", "name": "Again"})
    assert twice.status_code == 422 and "day" in twice.get_json()["errors"]


class TestSlaWatch:
    @pytest.fixture
    def patron_config(self, smtp_inbox):
        return smtp_inbox.config

    def test_breaches_are_flagged_announced_and_mailed_once(self, app, admin, tenant,
                                                            make_user, new_ticket, actions,
                                                            smtp_inbox):
        _always_open(admin)
        agent = make_user(tenant, "service_agent", email="agent@acme.test")
        late = new_ticket(subject="Late", assignee_id=agent.user_id, priority="urgent")
        waiting = new_ticket(subject="Waiting", assignee_id=admin.user_id)
        admin.patch(f"{TICKETS}/{waiting['id']}", json={"status": "waiting_on_customer"})
        now = datetime.now(UTC)
        with in_tenant(app, tenant):
            for ticket in db.session.execute(select(Ticket)).scalars():
                ticket.first_response_due_at = now - timedelta(minutes=1)
                ticket.resolution_due_at = now + timedelta(minutes=30)
        with app.app_context():
            run_due_jobs(now)
            run_due_jobs(now + timedelta(minutes=10))
            assert run_once() == 2
        flagged = admin.get(f"{TICKETS}/{late['id']}").get_json()
        assert flagged["first_response_breached_at"] and flagged["resolution_breached_at"] is None
        assert actions(admin, late["id"]).count("ticket.sla_breached") == 1
        assert "ticket.sla_breached" not in actions(admin, waiting["id"])
        assert [(m["To"], m["Subject"]) for m in smtp_inbox.messages] == [
            ("agent@acme.test", "SLA breached: Late"), ("agent@acme.test", "SLA due soon: Late")]
        with in_tenant(app, tenant):
            _ticket(late["id"]).resolution_due_at = now - timedelta(minutes=1)
        with app.app_context():
            run_due_jobs(now + timedelta(minutes=20))
            run_due_jobs(now + timedelta(minutes=30))
            assert run_once() == 1
        assert admin.get(f"{TICKETS}/{late['id']}").get_json()["resolution_breached_at"]
        assert actions(admin, late["id"]).count("ticket.sla_breached") == 2
        assert smtp_inbox.messages[-1]["Subject"] == "SLA breached: Late"

    def test_a_breach_escalates_per_policy_and_tells_the_queue_lead(self, app, admin, tenant,
                                                                   make_user, new_ticket,
                                                                   smtp_inbox):
        _always_open(admin)
        standard = admin.get("/service/sla-policies").get_json()["items"][0]
        admin.patch(f"/service/sla-policies/{standard['id']}", json={"raise_priority": True})
        agent = make_user(tenant, "service_agent", email="agent@acme.test")
        lead = make_user(tenant, "service_agent", email="lead@acme.test")
        queue = admin.post("/service/queues", json={
            "name": "Desk", "rule": "round_robin", "member_ids": [agent.user_id],
            "lead_id": lead.user_id})
        assert queue.status_code == 201, queue.get_json()
        ticket = new_ticket(subject="Escalate me", queue_id=queue.get_json()["id"])
        assert ticket["assignee_id"] == agent.user_id
        now = datetime.now(UTC)
        with in_tenant(app, tenant):
            _ticket(ticket["id"]).first_response_due_at = now - timedelta(minutes=1)
        with app.app_context():
            run_due_jobs(now)
            assert run_once() == 2
        escalated = admin.get(f"{TICKETS}/{ticket['id']}").get_json()
        assert escalated["priority"] == "high" and escalated["first_response_breached_at"]
        # High-priority targets (60 / 480 min) now apply, counted from creation.
        created = at(escalated["created_at"])
        assert at(escalated["resolution_due_at"]) == created + timedelta(minutes=480)
        assert sorted(m["To"] for m in smtp_inbox.messages) == ["agent@acme.test",
                                                                 "lead@acme.test"]
        refused = admin.post("/service/queues", json={
            "name": "Other", "lead_id": "01900000-0000-7000-8000-000000000000"})
        assert refused.status_code == 422 and "lead_id" in refused.get_json()["errors"]

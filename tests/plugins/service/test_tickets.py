"""Tickets: the status workflow with its history and events, complaints, queues and their
assignment rules, manual reassignment, and the agents' and technicians' data scopes."""

from __future__ import annotations

import pytest

TICKETS = "/service/tickets"


@pytest.fixture
def agents(tenant, make_user):
    """Two service agents, ordered by user id (the order round robin follows)."""
    made = [make_user(tenant, "service_agent") for _ in range(2)]
    return sorted(made, key=lambda agent: agent.user_id)


def _history(api, ticket) -> list[tuple]:
    items = api.get(f"{TICKETS}/{ticket['id']}/history").get_json()["items"]
    return [(i["field"], i["old_value"], i["new_value"], i["how"]) for i in items]


def test_new_ticket_defaults_and_its_contacts_account(actions, admin, account, new_ticket):
    contact = admin.post("/contacts", json={"last_name": "Lumbergh",
                                            "account_id": account["id"]}).get_json()
    ticket = new_ticket(contact_id=contact["id"])
    assert (ticket["status"], ticket["priority"], ticket["channel"], ticket["severity"]) == (
        "new", "normal", "api", "moderate")
    assert ticket["account_id"] == account["id"] and ticket["assignee_id"] is None
    assert ticket["sla_policy_id"] and ticket["first_response_due_at"]
    assert _history(admin, ticket) == [("status", None, "new", "manual")]
    assert actions(admin, ticket["id"]) == ["create"]


def test_workflow_records_every_move_and_refuses_invalid_ones(actions, admin, new_ticket):
    ticket = new_ticket()
    refused = admin.patch(f"{TICKETS}/{ticket['id']}", json={"status": "closed"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["status"] == ["A ticket cannot go from new to closed."]
    refused = admin.patch(f"{TICKETS}/{ticket['id']}", json={"status": "assigned"})
    assert refused.get_json()["errors"]["status"] == ["An assigned ticket needs an assignee."]
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json() == ticket

    def move(status, **fields):
        response = admin.patch(f"{TICKETS}/{ticket['id']}", json={"status": status, **fields})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    assigned = admin.patch(f"{TICKETS}/{ticket['id']}", json={"assignee_id": admin.user_id})
    assert assigned.get_json()["status"] == "assigned"
    working = move("in_progress")
    assert working["first_responded_at"] is None  # the first public reply is (test_replies)
    waiting = move("waiting_on_customer")
    assert waiting["sla_paused_at"] is not None
    back = move("in_progress")
    assert back["sla_paused_at"] is None and back["first_responded_at"] == (
        working["first_responded_at"])
    resolved = move("resolved", resolution="Cleared the paper path", root_cause="Worn roller")
    assert resolved["resolved_at"] and resolved["resolution"] == "Cleared the paper path"
    assert move("closed")["closed_at"]
    reopened = move("in_progress")
    assert reopened["resolved_at"] is None and reopened["closed_at"] is None
    assert _history(admin, ticket) == [
        ("status", None, "new", "manual"),
        ("assignee", None, admin.user_id, "manual"),
        ("status", "new", "assigned", "manual"),
        ("status", "assigned", "in_progress", "manual"),
        ("status", "in_progress", "waiting_on_customer", "manual"),
        ("status", "waiting_on_customer", "in_progress", "manual"),
        ("status", "in_progress", "resolved", "manual"),
        ("status", "resolved", "closed", "manual"),
        ("status", "closed", "in_progress", "manual"),
    ]
    events = actions(admin, ticket["id"])
    assert events[0] == "create"
    assert (events.count("ticket.assigned"), events.count("ticket.resolved")) == (1, 1)


def test_complaints_need_their_type(admin, new_ticket):
    refused = admin.post(TICKETS, json={"subject": "Rude", "is_complaint": True})
    assert refused.status_code == 422 and "complaint_type" in refused.get_json()["errors"]
    refused = admin.post(TICKETS, json={"subject": "Hm", "complaint_type": "price"})
    assert refused.status_code == 422
    refused = admin.post(TICKETS, json={"subject": "Hm", "complaint_type": "cheap"})
    assert refused.status_code == 422
    complaint = new_ticket(subject="Rude", is_complaint=True, complaint_type="staff_attitude",
                           channel="phone")
    listed = admin.get(f"{TICKETS}?is_complaint=true&complaint_type=staff_attitude")
    assert [t["id"] for t in listed.get_json()["items"]] == [complaint["id"]]
    assert admin.get(TICKETS).get_json()["items"][0]["id"] == complaint["id"]


def test_references_must_be_readable(admin, new_ticket):
    missing = "01900000-0000-7000-8000-000000000000"
    for field in ("account_id", "contact_id", "product_id", "queue_id", "assignee_id",
                  "sla_policy_id"):
        refused = admin.post(TICKETS, json={"subject": "X", field: missing})
        assert refused.status_code == 422, field
        assert field in refused.get_json()["errors"]
    assert admin.get(TICKETS).get_json()["items"] == []


def test_round_robin_queue_takes_turns_among_active_members(actions, admin, agents, new_ticket):
    queue = admin.post("/service/queues", json={
        "name": "Hardware", "rule": "round_robin",
        "member_ids": [agents[1].user_id, agents[0].user_id]})
    assert queue.status_code == 201, queue.get_json()
    queue = queue.get_json()
    assert queue["member_ids"] == [agents[1].user_id, agents[0].user_id]
    turns = [new_ticket(queue_id=queue["id"]) for _ in range(3)]
    assert [t["assignee_id"] for t in turns] == [agents[0].user_id, agents[1].user_id,
                                                 agents[0].user_id]
    assert all(t["status"] == "assigned" for t in turns)
    assert _history(admin, turns[0])[1] == ("assignee", None, agents[0].user_id,
                                            "round_robin")
    assert sorted(actions(admin, turns[0]["id"])) == ["create", "ticket.assigned"]
    admin.patch(f"/users/{agents[1].user_id}", json={"is_active": False})
    assert new_ticket(queue_id=queue["id"])["assignee_id"] == agents[0].user_id


def test_least_loaded_queue_and_manual_reassignment(actions, admin, agents, new_ticket):
    queue = admin.post("/service/queues", json={
        "name": "Billing", "rule": "least_loaded",
        "member_ids": [a.user_id for a in agents]}).get_json()
    for _ in range(2):
        new_ticket(assignee_id=agents[0].user_id)
    chosen = new_ticket(queue_id=queue["id"])
    assert chosen["assignee_id"] == agents[1].user_id
    moved = agents[1].patch(f"{TICKETS}/{chosen['id']}",
                            json={"assignee_id": agents[0].user_id})
    assert moved.status_code == 200 and moved.get_json()["assignee_id"] == agents[0].user_id
    change = admin.get(f"{TICKETS}/{chosen['id']}/history").get_json()["items"][-1]
    assert (change["field"], change["old_value"], change["new_value"], change["how"],
            change["changed_by"]) == ("assignee", agents[1].user_id, agents[0].user_id,
                                      "manual", agents[1].user_id)
    assert actions(admin, chosen["id"]).count("ticket.assigned") == 2


def test_queue_rules(admin, agents):
    made = admin.post("/service/queues", json={"name": "Q", "member_ids": [admin.user_id]})
    assert made.status_code == 201 and made.get_json()["rule"] == "manual"
    twice = admin.post("/service/queues", json={"name": "Q"})
    assert twice.status_code == 422 and "name" in twice.get_json()["errors"]
    stranger = admin.post("/service/queues", json={
        "name": "R", "member_ids": ["01900000-0000-7000-8000-000000000000"]})
    assert stranger.status_code == 422 and "member_ids" in stranger.get_json()["errors"]


def test_technicians_see_only_tickets_assigned_to_them(admin, tenant, make_user, new_ticket):
    technician = make_user(tenant, "technician")
    theirs = new_ticket(assignee_id=technician.user_id)
    other = new_ticket()
    assert [t["id"] for t in technician.get(TICKETS).get_json()["items"]] == [theirs["id"]]
    assert technician.get(f"{TICKETS}/{other['id']}").status_code == 404
    assert technician.get(f"{TICKETS}/{other['id']}/history").status_code == 404
    assert technician.patch(f"{TICKETS}/{theirs['id']}",
                            json={"status": "in_progress"}).status_code == 403


def test_agent_scope_narrowed_to_own(admin, agents, new_ticket):
    role = admin.get("/roles?key=service_agent").get_json()["items"][0]
    narrowed = admin.patch(f"/roles/{role['id']}",
                           json={"scopes": {**role["scopes"], "service.tickets": "own"}})
    assert narrowed.status_code == 200, narrowed.get_json()
    mine = new_ticket(assignee_id=agents[0].user_id)
    theirs = new_ticket(assignee_id=agents[1].user_id)
    assert [t["id"] for t in agents[0].get(TICKETS).get_json()["items"]] == [mine["id"]]
    for response in (agents[0].get(f"{TICKETS}/{theirs['id']}"),
                     agents[0].patch(f"{TICKETS}/{theirs['id']}", json={"priority": "high"})):
        assert response.status_code == 404


def test_unassigning_puts_an_assigned_ticket_back_to_new(admin, new_ticket):
    ticket = new_ticket(assignee_id=admin.user_id)
    back = admin.patch(f"{TICKETS}/{ticket['id']}", json={"assignee_id": None}).get_json()
    assert (back["status"], back["assignee_id"]) == ("new", None)
    assert _history(admin, ticket)[-2:] == [("assignee", admin.user_id, None, "manual"),
                                            ("status", "assigned", "new", "manual")]

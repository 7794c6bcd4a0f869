"""The ``skill_region`` assignment rule: a ticket goes to the least loaded queue member whose
technician profile has the skills the ticket (or its work orders) needs and works in its
region; when nobody matches, the ticket waits unassigned and that is recorded."""

from __future__ import annotations

import pytest

TICKETS = "/service/tickets"


@pytest.fixture
def skilled_queue(admin, tenant, make_user):
    """A skill_region queue of three agents: Ann (hvac, gas; North), Bob (hvac; South) and
    Cy, who has no technician profile."""
    ann, bob, cy = (make_user(tenant, "service_agent") for _ in range(3))
    for user, name, skills, region in ((ann, "Ann", ["hvac", "gas"], "North"),
                                       (bob, "Bob", ["hvac"], "South")):
        made = admin.post("/service/technicians", json={
            "user_id": user.user_id, "name": name, "skills": skills, "region": region})
        assert made.status_code == 201, made.get_json()
    queue = admin.post("/service/queues", json={
        "name": "Field", "rule": "skill_region",
        "member_ids": [ann.user_id, bob.user_id, cy.user_id]})
    assert queue.status_code == 201, queue.get_json()
    return queue.get_json(), ann, bob, cy


def _history(api, ticket) -> list[tuple]:
    items = api.get(f"{TICKETS}/{ticket['id']}/history").get_json()["items"]
    return [(i["field"], i["old_value"], i["new_value"], i["how"]) for i in items]


def test_the_member_with_the_skills_and_region_gets_the_ticket(admin, new_ticket,
                                                              skilled_queue):
    queue, ann, bob, _cy = skilled_queue
    gas = new_ticket(queue_id=queue["id"], required_skills=["gas"], region=" north ")
    assert (gas["assignee_id"], gas["status"]) == (ann.user_id, "assigned")
    assert gas["required_skills"] == ["gas"]
    assert ("assignee", None, ann.user_id, "skill_region") in _history(admin, gas)
    south = new_ticket(queue_id=queue["id"], required_skills=["hvac"], region="South")
    assert south["assignee_id"] == bob.user_id


def test_among_matching_members_the_least_loaded_wins(admin, new_ticket, skilled_queue):
    queue, ann, bob, _cy = skilled_queue
    first = new_ticket(queue_id=queue["id"], required_skills=["hvac"])
    second = new_ticket(queue_id=queue["id"], required_skills=["hvac"])
    assert {first["assignee_id"], second["assignee_id"]} == {ann.user_id, bob.user_id}


def test_a_member_without_a_profile_takes_only_tickets_needing_nothing(new_ticket,
                                                                      skilled_queue):
    queue, ann, bob, cy = skilled_queue
    takers = {new_ticket(queue_id=queue["id"])["assignee_id"] for _ in range(3)}
    assert takers == {ann.user_id, bob.user_id, cy.user_id}


def test_nobody_matching_leaves_the_ticket_unassigned_and_recorded(admin, new_ticket,
                                                                  skilled_queue):
    queue, ann, _bob, _cy = skilled_queue
    ticket = new_ticket(queue_id=queue["id"], required_skills=["gas"], region="South")
    assert (ticket["assignee_id"], ticket["status"]) == (None, "new")
    assert _history(admin, ticket) == [("status", None, "new", "manual"),
                                       ("assignment", None, "unmatched", "skill_region")]
    # The region was wrong: correcting it finds the agent.
    fixed = admin.patch(f"{TICKETS}/{ticket['id']}", json={"region": "North"})
    assert fixed.status_code == 200, fixed.get_json()
    assert (fixed.get_json()["assignee_id"], fixed.get_json()["status"]) == (
        ann.user_id, "assigned")


def test_a_new_work_order_routes_a_ticket_nobody_could_take(admin, new_ticket,
                                                           skilled_queue):
    queue, _ann, bob, _cy = skilled_queue
    ticket = new_ticket(queue_id=queue["id"], required_skills=["gas"], region="South")
    assert ticket["assignee_id"] is None
    [bob_profile] = admin.get(f"/service/technicians?user_id={bob.user_id}").get_json()["items"]
    admin.patch(f"/service/technicians/{bob_profile['id']}", json={"skills": ["hvac", "gas"]})
    order = admin.post("/service/work-orders", json={"title": "Gas leak",
                                                     "ticket_id": ticket["id"]})
    assert order.status_code == 201, order.get_json()
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json()["assignee_id"] == bob.user_id


def test_the_open_work_orders_skills_count_too(admin, new_ticket, skilled_queue):
    queue, ann, _bob, _cy = skilled_queue
    ticket = new_ticket(queue_id=queue["id"], required_skills=["welding"])
    assert ticket["assignee_id"] is None
    order = admin.post("/service/work-orders", json={
        "title": "Gas leak", "ticket_id": ticket["id"], "required_skills": ["gas"]})
    assert order.status_code == 201, order.get_json()
    # welding + gas: still nobody, and that is recorded again.
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json()["assignee_id"] is None
    assert _history(admin, ticket).count(
        ("assignment", None, "unmatched", "skill_region")) == 2
    admin.patch(f"{TICKETS}/{ticket['id']}", json={"required_skills": []})
    # The open work order still needs gas: Ann is the only one who has it.
    assert admin.get(f"{TICKETS}/{ticket['id']}").get_json()["assignee_id"] == ann.user_id


def test_bad_needs_are_refused(admin, skilled_queue):
    queue = skilled_queue[0]
    refused = admin.post(TICKETS, json={"subject": "X", "queue_id": queue["id"],
                                        "required_skills": [""], "region": "x" * 101})
    assert refused.status_code == 422
    assert set(refused.get_json()["errors"]) == {"required_skills", "region"}
    assert admin.get(TICKETS).get_json()["items"] == []

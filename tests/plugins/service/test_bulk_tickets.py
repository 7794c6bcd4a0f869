"""Bulk actions the ticket list declares: reassign, reprioritise and move tickets in one go,
each through the ticket's own workflow (a reassignment is recorded as one)."""

from __future__ import annotations

from tests.test_bulk_actions import apply, work


def test_tickets_reassigned_and_reprioritised_in_bulk(app, admin, auth, tenant, client,
                                                      make_user, new_ticket):
    agent = make_user(tenant, "service_agent", email="sam@acme.test", name="Sam")
    tickets = [new_ticket(subject=f"Jam {n}", priority="low") for n in range(3)]
    ids = [t["id"] for t in tickets]
    auth.login(tenant)
    listed = client.get("/records/ticket/").get_data(as_text=True)
    for key in ("set:assignee_id", "set:status", "set:priority", "set:queue_id"):
        assert f'value="{key}"' in listed, key
    apply(client, "ticket", "set:assignee_id", agent.user_id, ids[:2])
    apply(client, "ticket", "set:priority", "high", ids)
    work(app, tenant)
    found = {t["subject"]: t for t in admin.get("/service/tickets").get_json()["items"]}
    assert [found[f"Jam {n}"]["assignee_id"] for n in range(2)] == [agent.user_id] * 2
    assert found["Jam 2"]["assignee_id"] != agent.user_id
    assert {found[f"Jam {n}"]["priority"] for n in range(3)} == {"high"}
    assert found["Jam 0"]["status"] == "assigned"  # the workflow moved it on assignment

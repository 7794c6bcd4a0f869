"""The core's record pages work for the module's entities: list, detail and the new form."""

from __future__ import annotations

import pytest


@pytest.fixture
def records(admin):
    ticket = admin.post("/service/tickets", json={"subject": "Jammed"}).get_json()
    technician = admin.post("/service/technicians", json={
        "name": "Tess", "skills": ["hvac"], "working_hours": {"mon": ["08:00", "17:00"]}})
    order = admin.post("/service/work-orders", json={"title": "Boiler",
                                                     "ticket_id": ticket["id"]}).get_json()
    article = admin.post("/service/articles", json={"title": "Reset it"}).get_json()
    return {"ticket": (ticket, "Jammed"), "technician": (technician.get_json(), "Tess"),
            "work_order": (order, "Boiler"), "article": (article, "Reset it")}


@pytest.mark.parametrize("entity", ["ticket", "technician", "work_order", "article"])
def test_record_pages_of_every_entity(admin, auth, tenant, client, records, entity):
    record, title = records[entity]
    auth.login(tenant)
    listing = client.get(f"/records/{entity}/")
    assert listing.status_code == 200 and title in listing.get_data(as_text=True)
    detail = client.get(f"/records/{entity}/{record['id']}")
    assert detail.status_code == 200 and title in detail.get_data(as_text=True)
    assert client.get(f"/records/{entity}/new").status_code == 200


def test_the_ticket_record_page_leads_to_the_ticket_page(admin, new_ticket):
    ticket = new_ticket(subject="Printer jammed")
    page = admin.open(f"/records/ticket/{ticket['id']}").get_data(as_text=True)
    assert f'href="/service/tickets/{ticket["id"]}"' in page
    assert "Open the ticket page" in page

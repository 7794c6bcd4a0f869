"""Every link to a record lands on its best page: an entity that names its module's own page
(``Entity(page=...)``: the deal page, the ticket page) is linked there from lists, search,
the audit log and after its creation; that page links back to the generic one."""

from __future__ import annotations


def test_deals_and_tickets_are_linked_to_their_own_pages(modules_admin):
    client, token, api = modules_admin
    account = api.post("/accounts", json={"name": "Initech"}).get_json()
    deal = api.post("/sales/opportunities", json={"name": "Linkwise deal",
                                                  "account_id": account["id"]}).get_json()
    ticket = api.post("/service/tickets", json={"subject": "Linkwise printer",
                                                "account_id": account["id"]}).get_json()
    deal_page, ticket_page = f"/sales/deals/{deal['id']}", f"/service/tickets/{ticket['id']}"
    assert f'href="{deal_page}"' in client.get("/records/opportunity/").get_data(as_text=True)
    assert f'href="{ticket_page}"' in client.get("/records/ticket/").get_data(as_text=True)
    found = client.get("/search/?q=Linkwise").get_data(as_text=True)
    assert f'href="{deal_page}"' in found and f'href="{ticket_page}"' in found
    assert f'href="{deal_page}"' in client.get("/admin/audit").get_data(as_text=True)
    account_page = f"/records/account/{account['id']}"
    assert f'href="{account_page}"' in client.get("/records/account/").get_data(as_text=True)
    assert f'/records/ticket/{ticket["id"]}"' in client.get(ticket_page).get_data(as_text=True)
    created = client.post("/records/opportunity/new", data={
        "csrf_token": token, "name": "Second deal", "account_id": account["id"]})
    assert created.status_code == 302
    assert created.headers["Location"].startswith("/sales/deals/")

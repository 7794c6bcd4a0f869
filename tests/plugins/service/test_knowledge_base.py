"""The knowledge base: drafts and published articles, and the articles a ticket suggests."""

from __future__ import annotations

ARTICLES = "/service/articles"


def _article(admin, **fields) -> dict:
    response = admin.post(ARTICLES, json=fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_articles_are_drafts_until_published_with_a_solution(admin):
    draft = _article(admin, title="Printer jams", problem="Paper stuck in tray 2")
    assert (draft["status"], draft["published_at"]) == ("draft", None)
    refused = admin.patch(f"{ARTICLES}/{draft['id']}", json={"status": "published"})
    assert refused.status_code == 422 and "solution" in refused.get_json()["errors"]
    published = admin.patch(f"{ARTICLES}/{draft['id']}", json={
        "status": "published", "solution": "Open the rear door and pull the sheet out."})
    assert published.status_code == 200 and published.get_json()["published_at"]
    back = admin.patch(f"{ARTICLES}/{draft['id']}", json={"status": "draft"}).get_json()
    assert back["published_at"] is None
    listed = admin.get(f"{ARTICLES}?q=rear door").get_json()["items"]
    assert [a["id"] for a in listed] == [draft["id"]]


def test_a_ticket_suggests_published_articles_sharing_its_words(admin, new_ticket):
    product = admin.post("/products", json={"sku": "LJ-4", "name": "LaserJet 4"}).get_json()
    jam = _article(admin, title="Printer paper jam", problem="The printer jams on paper",
                   solution="Clear tray 2.", status="published")
    toner = _article(admin, title="Printer toner streaks", solution="Shake the toner.",
                     status="published", product_id=product["id"])
    _article(admin, title="Printer paper jam (draft)", solution="Not yet.")
    _article(admin, title="Monitor flickers", solution="Reseat the cable.", status="published")
    ticket = new_ticket(subject="The printer has a paper jam again", product_id=product["id"])
    suggested = admin.get(f"/service/tickets/{ticket['id']}/suggested-articles")
    assert suggested.status_code == 200
    assert [a["id"] for a in suggested.get_json()["items"]] == [jam["id"], toner["id"]]
    nothing = new_ticket(subject="Why?")
    assert admin.get(f"/service/tickets/{nothing['id']}/suggested-articles").get_json() == {
        "items": []}


def test_technicians_read_and_agents_write_the_knowledge_base(admin, tenant, make_user):
    technician, agent = make_user(tenant, "technician"), make_user(tenant, "service_agent")
    assert agent.post(ARTICLES, json={"title": "Reset", "solution": "Hold the button.",
                                      "status": "published"}).status_code == 201
    assert technician.get(ARTICLES).get_json()["items"][0]["title"] == "Reset"
    assert technician.post(ARTICLES, json={"title": "Mine"}).status_code == 403
    assert agent.delete(f"{ARTICLES}/{technician.get(ARTICLES).get_json()['items'][0]['id']}"
                        ).status_code == 403

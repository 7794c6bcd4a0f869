"""The knowledge base: drafts and published articles, and the articles a ticket suggests."""

from __future__ import annotations

from patron.testing.fixtures import csrf_token_from

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


def test_articles_are_linked_to_and_unlinked_from_a_ticket(admin, new_ticket):
    jam = _article(admin, title="Printer paper jam", solution="Clear tray 2.",
                   status="published")
    toner = _article(admin, title="Toner streaks", solution="Shake it.")
    ticket = new_ticket(subject="Paper jam")
    links = f"/service/tickets/{ticket['id']}/articles"
    for article in (toner, jam):
        linked = admin.post(links, json={"article_id": article["id"]})
        assert linked.status_code == 201 and linked.get_json()["id"] == article["id"]
    assert [a["id"] for a in admin.get(links).get_json()["items"]] == [toner["id"], jam["id"]]

    again = admin.post(links, json={"article_id": jam["id"]})
    assert again.status_code == 422 and "article_id" in again.get_json()["errors"]
    missing = admin.post(links, json={"article_id": ticket["id"]})
    assert missing.get_json()["errors"] == {"article_id": ["No such article."]}

    assert admin.delete(f"{links}/{toner['id']}").status_code == 204
    assert admin.delete(f"{links}/{toner['id']}").status_code == 404
    assert [a["id"] for a in admin.get(links).get_json()["items"]] == [jam["id"]]
    history = admin.get(f"/service/tickets/{ticket['id']}/history").get_json()["items"]
    assert [(h["field"], h["old_value"], h["new_value"]) for h in history
            if h["field"] == "article"] == [("article", None, toner["id"]),
                                           ("article", None, jam["id"]),
                                           ("article", toner["id"], None)]


def test_a_technician_reads_but_cannot_link_articles(admin, tenant, make_user, new_ticket):
    technician = make_user(tenant, "technician")
    ticket = new_ticket(assignee_id=technician.user_id)
    article = _article(admin, title="Reset", solution="Hold the button.", status="published")
    links = f"/service/tickets/{ticket['id']}/articles"
    assert technician.post(links, json={"article_id": article["id"]}).status_code == 403
    assert technician.get(links).get_json() == {"items": []}
    other = new_ticket()
    assert technician.get(f"/service/tickets/{other['id']}/articles").status_code == 404


def test_the_ticket_page_shows_linked_and_suggested_articles(admin, auth, tenant, client,
                                                            new_ticket):
    jam = _article(admin, title="Printer paper jam", solution="Clear tray 2.",
                   status="published")
    _article(admin, title="Printer toner", solution="Shake it.", status="published")
    ticket = new_ticket(subject="Printer paper jam again")
    auth.login(tenant)
    page = client.get(f"/service/tickets/{ticket['id']}")
    assert page.status_code == 200
    suggested = page.text.split('id="suggested-articles"')[1]
    assert "Printer paper jam" in suggested and "No articles linked yet." in page.text
    linked = client.post(f"/service/tickets/{ticket['id']}/articles",
                         data={"article_id": jam["id"], "csrf_token": csrf_token_from(page.text)},
                         follow_redirects=True)
    assert linked.status_code == 200
    shown = linked.text.split('id="linked-articles"')[1].split('id="suggested-articles"')[0]
    assert "Printer paper jam" in shown
    assert "Printer paper jam" not in linked.text.split('id="suggested-articles"')[1]
    refused = client.post(f"/service/tickets/{ticket['id']}/articles",
                          data={"article_id": "nonsense", "csrf_token": csrf_token_from(page.text)},
                          follow_redirects=True)
    assert "No such article." in refused.text

"""Writing @name in an activity tells that colleague; an ambiguous or unknown name tells
nobody, and the author is not told of their own note."""

from __future__ import annotations


def _told(api) -> list[str]:
    return [n["text"] for n in api.get("/me/notifications").get_json()["items"]]


def test_a_note_tells_the_people_it_mentions(auth, tenant, make_user):
    admin = auth.api(tenant)
    rita = make_user(tenant, "sales_rep", email="rita.lopez@acme.test", name="Rita Lopez")
    first_ann = make_user(tenant, "sales_rep", email="ann.one@acme.test", name="Ann One")
    make_user(tenant, "sales_rep", email="ann.two@acme.test", name="Ann Two")
    sam = make_user(tenant, "service_agent", email="sam@acme.test", name="Samuel")
    note = admin.post("/activities", json={
        "kind": "note", "subject": "Initech renewal",
        "description": "@rita can you call them? @ann please check. cc @sam, @nobody "
                       "(mail: x@rita.test)"})
    assert note.status_code == 201, note.get_json()
    link = f"/records/activity/{note.get_json()['id']}"
    for user in (rita, sam):
        [told] = user.get("/me/notifications").get_json()["items"]
        assert (told["text"], told["link"]) == ("You were mentioned: Initech renewal", link)
    assert _told(first_ann) == []  # two Anns: the word names neither
    assert _told(admin) == []
    admin.post("/activities", json={"kind": "note", "subject": "No one",
                                    "description": "write to rita@acme.test"})
    assert len(_told(rita)) == 1  # an address is not a mention

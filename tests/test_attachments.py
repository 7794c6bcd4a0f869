"""Attachments: uploads within limits, stored per tenant, served only to readers of the parent."""

from __future__ import annotations

from pathlib import Path

import pytest

from patron.testing.route_walk import Multipart, request_body

#: The start of a PNG file: an upload's content must be what its name says.
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)
LIMIT = 2048


@pytest.fixture
def patron_config():
    return {"PATRON_UPLOAD_MAX_BYTES": LIMIT, "PATRON_UPLOAD_ALLOWED_TYPES": ".txt, .PDF, image/*"}


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


@pytest.fixture
def account(api) -> dict:
    return api.post("/accounts", json={"name": "Acme"}).get_json()


def upload(client, parent_id: str, content: bytes = b"hello", filename: str = "notes.txt",
           parent_entity: str = "account"):
    return client.post("/attachments", **request_body(Multipart(
        {"parent_entity": parent_entity, "parent_id": parent_id},
        {"file": (content, filename)})))


def download(client, attachment_id: str):
    """GET the file, closing the response afterwards as a WSGI server does."""
    with client.get(f"/attachments/{attachment_id}/content") as response:
        response.get_data()
    return response


def stored_files(app) -> list[Path]:
    return sorted(p for p in (Path(app.config["PATRON_HOME"]) / "files").rglob("*")
                  if p.is_file())


def test_upload_list_download_and_delete(app, api, tenant, account):
    response = upload(api, account["id"], b"first line\n", "Notes \u00e9t\u00e9.txt")
    assert response.status_code == 201, response.get_json()
    attachment = response.get_json()
    assert response.headers["Location"].endswith(f"/attachments/{attachment['id']}")
    assert (attachment["filename"], attachment["content_type"], attachment["size"]) == (
        "Notes \u00e9t\u00e9.txt", "text/plain", 11)
    home = Path(app.config["PATRON_HOME"])
    assert stored_files(app) == [home / "files" / str(tenant.id) / attachment["id"]]
    listed = api.get(f"/attachments?parent_entity=account&parent_id={account['id']}")
    assert [a["id"] for a in listed.get_json()["items"]] == [attachment["id"]]
    content = download(api, attachment["id"])
    assert content.status_code == 200 and content.data == b"first line\n"
    assert content.headers["Content-Disposition"].startswith("attachment;")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert api.delete(f"/attachments/{attachment['id']}").status_code == 204
    assert download(api, attachment["id"]).status_code == 404
    assert stored_files(app) == []


def test_too_large_or_disallowed_files_change_nothing(app, api, account):
    too_large = upload(api, account["id"], b"x" * (LIMIT + 1))
    assert too_large.status_code == 413
    assert "PATRON_UPLOAD_MAX_BYTES" in too_large.get_json()["detail"]
    far_too_large = upload(api, account["id"], b"x" * (LIMIT + 128 * 1024))
    assert far_too_large.status_code == 413
    for filename in ("page.html", "run.exe", "no-extension"):
        refused = upload(api, account["id"], b"<script>", filename)
        assert refused.status_code == 422 and "file" in refused.get_json()["errors"], filename
    assert upload(api, account["id"], b"%PDF", "scan.pdf").status_code == 201
    assert upload(api, account["id"], PNG, "photo.png").status_code == 201
    assert api.get("/attachments?count=true").get_json()["total"] == 2
    assert len(stored_files(app)) == 2


def test_parent_must_be_a_record_the_uploader_can_read(api, auth, tenant, other_tenant,
                                                        make_user, account):
    missing = upload(api, account["id"], parent_entity="planet")
    assert "parent_entity" in missing.get_json()["errors"]
    rep = make_user(tenant, "sales_rep")
    assert "parent_id" in upload(rep, account["id"]).get_json()["errors"]
    neighbour = auth.api(other_tenant)
    assert "parent_id" in upload(neighbour, account["id"]).get_json()["errors"]
    without_file = api.post("/attachments", **request_body(Multipart(
        {"parent_entity": "account", "parent_id": account["id"]}, {})))
    assert "file" in without_file.get_json()["errors"]
    assert api.get("/attachments").get_json()["items"] == []


def test_files_are_served_only_to_readers_of_their_parent(api, auth, tenant, other_tenant,
                                                          make_user):
    owner, colleague = make_user(tenant, "sales_rep"), make_user(tenant, "sales_rep")
    account = owner.post("/accounts", json={"name": "Owner's"}).get_json()
    attachment = upload(owner, account["id"]).get_json()
    item = f"/attachments/{attachment['id']}"
    assert download(owner, attachment["id"]).data == b"hello"
    for outsider in (colleague, auth.api(other_tenant)):
        assert outsider.get(item).status_code == 404
        assert download(outsider, attachment["id"]).status_code == 404
        assert outsider.get("/attachments").get_json()["items"] == []
        one_record = f"/attachments?parent_entity=account&parent_id={account['id']}"
        assert outsider.get(one_record).get_json()["items"] == []  # the short path too
    assert [a["id"] for a in owner.get(
        f"/attachments?parent_entity=account&parent_id={account['id']}").get_json()["items"]
    ] == [attachment["id"]]
    assert auth.api(other_tenant).delete(item).status_code == 404
    assert download(api, attachment["id"]).status_code == 200  # the admin reads every account
    assert [a["id"] for a in owner.get("/attachments").get_json()["items"]] == [attachment["id"]]


def test_attachments_go_with_their_record(app, api):
    activity = api.post("/activities", json={"kind": "visit", "subject": "Site visit"}).get_json()
    attachment = upload(api, activity["id"], PNG, "site.png", "activity").get_json()
    assert attachment["content_type"] == "image/png"
    assert api.delete(f"/activities/{activity['id']}").status_code == 204
    assert api.get(f"/attachments/{attachment['id']}").status_code == 404
    assert stored_files(app) == []


class TestEveryBodyIsBounded:
    """No route reads a body past the largest upload Patron accepts, not even the CSRF check
    of a signed-in page, which reads the form before any upload route could limit it."""

    @pytest.fixture
    def patron_config(self):
        return {"PATRON_UPLOAD_MAX_BYTES": LIMIT, "PATRON_IMPORT_MAX_BYTES": LIMIT}

    def test_an_oversized_page_post_is_refused_unread(self, app, auth, tenant, client, account):
        auth.login(tenant)
        response = client.post(f"/records/account/{account['id']}/attachments", data={
            "csrf_token": "x" * (LIMIT + 128 * 1024)})
        assert response.status_code == 413
        assert stored_files(app) == []

"""Request bodies are bounded and checked before anything reads them: an anonymous client
cannot make a worker parse a large body (the repro: an anonymous ``POST /api/v1/contacts``
with a 30 MB JSON body was parsed and validated before the caller was checked)."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

MIB = 1024 * 1024


class Tripwire(io.RawIOBase):
    """A request body of ``size`` bytes that records whether anything read it."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body, then rewinds it
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = b" " * count
        self.position += count
        self.read_bytes += count
        return count


def _post(client, path: str, size: int, headers: dict | None = None):
    body = Tripwire(size)
    response = client.post(path, input_stream=body,
                           content_type="application/json", headers=headers or {})
    return response, body


@pytest.mark.parametrize("path", ["/api/v1/contacts", "/api/v1/imports",
                                  "/api/v1/attachments", "/api/v1/sales/leads"])
def test_an_anonymous_body_is_refused_unread(client, path):
    response, body = _post(client, path, 30 * MIB)
    assert response.status_code == 401, response.get_json()
    assert response.content_type == "application/problem+json"
    assert body.read_bytes == 0


def test_an_anonymous_upload_page_post_is_refused_unread(client, tenant):
    response, body = _post(client, "/imports/new", 30 * MIB)
    assert response.status_code == 401 and body.read_bytes == 0


def test_a_signed_in_body_over_the_limit_is_refused_unread(auth, tenant):
    api = auth.api(tenant)
    body = Tripwire(2 * MIB)
    response = api.post("/contacts", input_stream=body,
                        content_type="application/json")
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert body.read_bytes == 0
    assert api.get("/contacts").get_json()["items"] == []


def test_the_limit_is_a_setting_and_ordinary_bodies_pass(app, auth, tenant):
    api = auth.api(tenant)
    note = "x" * 5000
    made = api.post("/activities", json={"kind": "note", "subject": "Lee",
                                         "description": note})
    assert made.status_code == 201, made.get_json()
    app.config["PATRON_BODY_MAX_BYTES"] = 1000
    try:
        assert api.post("/activities", json={"kind": "note", "subject": "Kim",
                                             "description": note}).status_code == 413
    finally:
        app.config["PATRON_BODY_MAX_BYTES"] = MIB


def test_signing_in_for_a_token_needs_no_token(client, tenant):
    response = client.post("/api/v1/auth/token", json={
        "tenant": tenant.slug, "email": tenant.admin_email, "password": "wrong password"})
    assert response.status_code == 401  # refused for the password, after reading the body
    assert "password" in response.get_json()["detail"]


def test_uploads_keep_their_own_larger_limit(auth, tenant):
    api = auth.api(tenant)
    account = api.post("/accounts", json={"name": "Files Ltd"}).get_json()
    content = b"a" * (2 * MIB)  # over the body limit, under the upload limit
    boundary, body = encode_multipart({"parent_entity": "account",
                                       "parent_id": account["id"],
                                       "file": FileStorage(io.BytesIO(content), "big.txt",
                                                           content_type="text/plain")})
    response = api.post("/attachments", data=body,
                        content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 201, response.get_json()

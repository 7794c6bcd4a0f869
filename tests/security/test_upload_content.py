"""Uploads are checked by their content, not only by their name (the repro: HTML bytes named
``.png`` were stored)."""

from __future__ import annotations

import io
import zipfile

import pytest

from patron.testing.route_walk import Multipart, request_body

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _upload(api, account_id: str, content: bytes, filename: str):
    return api.post("/attachments", **request_body(Multipart(
        {"parent_entity": "account", "parent_id": account_id}, {"file": (content, filename)})))


@pytest.fixture
def account(auth, tenant):
    return auth.api(tenant).post("/accounts", json={"name": "Files Ltd"}).get_json()


@pytest.mark.parametrize(("content", "filename"), [
    (PAGE, "logo.png"), (PAGE, "contract.pdf"), (PAGE, "notes.txt"), (PNG, "report.pdf"),
    (b"MZ\x90\x00" + bytes(60), "invoice.docx"),
])
def test_content_that_is_not_what_its_name_says_is_refused(auth, tenant, account, content,
                                                           filename):
    api = auth.api(tenant)
    response = _upload(api, account["id"], content, filename)
    assert response.status_code == 422, filename
    assert "file" in response.get_json()["errors"]
    assert api.get("/attachments").get_json()["items"] == []


@pytest.mark.parametrize(("content", "filename"), [
    (PNG, "logo.png"), (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "contract.pdf"),
    (b"Call back on Monday.\n", "notes.txt"), (_docx(), "offer.docx"),
    (b"name,city\nAcme,Paris\n", "list.csv"),
])
def test_files_that_are_what_they_say_are_kept(auth, tenant, account, content, filename):
    response = _upload(auth.api(tenant), account["id"], content, filename)
    assert response.status_code == 201, response.get_json()

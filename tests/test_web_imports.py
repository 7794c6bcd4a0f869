"""The CSV import pages (``/imports/…``) and the list pages' export, through the Flask test
client: the mapping step, the dry run, the import and its progress fragment, refused uploads,
permissions, data scope and tenant isolation.

Imports run as the worker runs them: the ``core.imports`` job's function for the tenant.
"""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import update

from patron.db import db, tenant_context
from patron.imports.models import ImportJob
from patron.imports.runner import run_queued_imports
from patron.testing.fixtures import PASSWORD, csrf_token_from, in_tenant

CONTACTS = "First name,Last name,Email\n"
GOOD_ROWS = "Ada,Lovelace,ada@example.test\nAlan,Turing,alan@example.test\n"
ONE_BAD_ROW = "Ada,Lovelace,ada@example.test\nAlan,Turing,not an address\n"
POLLING = 'hx-trigger="every 1s"'


def process(app, tenant) -> None:
    """Run the tenant's queued imports, as the worker's ``core.imports`` job does."""
    with app.app_context(), tenant_context(tenant.id):
        run_queued_imports()
        db.session.remove()


def csrf(client) -> str:
    return csrf_token_from(client.get("/imports/").get_data(as_text=True))


def send(client, url: str, content: str | bytes, filename: str = "contacts.csv",
         htmx: bool = False, **form):
    """Post the import form (or its mapping step) with ``content`` as the chosen file."""
    data = content.encode() if isinstance(content, str) else content
    body = {"csrf_token": csrf(client), "entity": "contact",
            "file": (io.BytesIO(data), filename), **form}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data=body, content_type="multipart/form-data", headers=headers)


def check(client, content: str, **form):
    """Press "Check" (a dry run, through htmx)."""
    return send(client, "/imports/new", content, htmx=True, dry_run="true", **form)


def job_id_in(html: str) -> str:
    return re.search(r'id="progress-([0-9a-f-]{36})"', html).group(1)


def contacts(api) -> list[str]:
    return sorted(c["last_name"] for c in api.get("/contacts?limit=200").get_json()["items"])


def stored_files(app) -> list[Path]:
    return list((Path(app.config["PATRON_HOME"]) / "imports").rglob("*.*"))


@pytest.fixture
def signed_in(auth, tenant, client):
    auth.login(tenant)
    return client


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


def signed_in_as(app, auth, tenant, make_user, role: str):
    """A new test client signed in as a new user with ``role``."""
    email = f"{role}-{uuid.uuid4().hex[:6]}@{tenant.slug}.test"
    make_user(tenant, role, email=email)
    client = app.test_client()
    auth.login(tenant, email=email, password=PASSWORD, client=client)
    return client


def test_pages_need_a_signed_in_user_with_the_import_permission(app, auth, tenant, client,
                                                                make_user):
    assert "/login" in client.get("/imports/").headers["Location"]
    reader = signed_in_as(app, auth, tenant, make_user, "read_only")
    assert reader.get("/imports/").status_code == 200, "read_only reads imports"
    assert reader.get("/imports/new").status_code == 403
    assert send(reader, "/imports/new", CONTACTS + GOOD_ROWS, dry_run="false").status_code \
        == 403
    assert 'href="/imports/"' not in reader.get("/records/contact/").get_data(as_text=True)
    rep = signed_in_as(app, auth, tenant, make_user, "sales_rep")
    page = rep.get("/records/contact/").get_data(as_text=True)
    assert 'href="/imports/"' in page and 'href="/imports/new?entity=contact"' in page
    assert 'href="/imports/new?entity=product"' not in rep.get(
        "/records/product/").get_data(as_text=True), "reps may not create products"
    form = rep.get("/imports/new").get_data(as_text=True)
    assert 'value="contact"' in form and 'value="product"' not in form


def test_the_mapping_step_suggests_a_field_for_each_column(signed_in, api):
    api.post("/custom-fields", json={"entity": "contact", "name": "shoe_size",
                                     "label": "Shoe size", "type": "number"})
    header = "Given name,LAST_NAME,E-Mail,Shoe size,Colour\n"
    response = send(signed_in, "/imports/new/columns", header + "Ada,Lovelace,a@b.test,38,red\n",
                    htmx=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    chosen = dict(re.findall(r'<label for="map-\d+">([^<]+)</label>.*?'
                             r'(?:<option value="([^"]+)" selected>|</select>)', page, re.S))
    assert chosen == {"Given name": "", "LAST_NAME": "last_name", "E-Mail": "email",
                      "Shoe size": "custom.shoe_size", "Colour": ""}
    assert '<option value="first_name">First name</option>' in page
    assert 'value="update"' in page and "E-mail" in page, "duplicates match by e-mail"
    assert api.get("/imports").get_json()["items"] == []


def test_check_lists_every_bad_row_by_line_and_writes_nothing(app, signed_in, api, tenant):
    response = check(signed_in, CONTACTS + ONE_BAD_ROW + ",Nameless,\n",
                     column=["First name", "Last name", "Email"],
                     field=["first_name", "last_name", "email"])
    assert response.status_code == 200, response.get_data(as_text=True)
    fragment = response.get_data(as_text=True)
    assert POLLING in fragment and "Waiting for the worker" in fragment
    process(app, tenant)
    result = signed_in.get(f"/imports/{job_id_in(fragment)}/progress").get_data(as_text=True)
    assert POLLING not in result, "a finished import stops polling"
    errors = re.findall(r"<tr>\s*<td[^>]*>Line (\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>",
                        result)
    assert errors == [("3", "Email", "Enter an e-mail address, such as name@example.com.")]
    assert "The check found an error in 1 row. Nothing was changed" in result
    assert contacts(api) == []
    assert "Go to" not in result, "a check offers nothing to look at"


def test_import_writes_and_its_page_follows_it_to_the_end(app, signed_in, api, tenant):
    response = send(signed_in, "/imports/new", CONTACTS + GOOD_ROWS, dry_run="false",
                    column=["First name", "Last name", "Email"],
                    field=["first_name", "last_name", "email"], on_duplicate="skip")
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    job_id = job_id_in(page)
    assert response.headers["Location"] == f"/imports/{job_id}"
    assert POLLING in page and f'hx-get="/imports/{job_id}/progress"' in page
    assert 'aria-valuenow="0"' in page and "Import of “contacts.csv”" in page
    process(app, tenant)
    fragment = signed_in.get(f"/imports/{job_id}/progress").get_data(as_text=True)
    assert POLLING not in fragment and 'aria-valuenow="100"' in fragment
    assert "Import finished: 2 created, 0 updated, 0 skipped." in fragment
    assert "2 of 2 rows" in fragment
    assert 'href="/records/contact/"' in fragment
    assert contacts(api) == ["Lovelace", "Turing"]
    listing = signed_in.get("/imports/").get_data(as_text=True)
    assert f'href="/imports/{job_id}">contacts.csv</a>' in listing
    assert "2 created, 0 updated, 0 skipped" in listing


def test_the_progress_fragment_shows_a_running_import(app, signed_in, tenant):
    response = send(signed_in, "/imports/new", CONTACTS + GOOD_ROWS, dry_run="false")
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    with in_tenant(app, tenant):  # where a worker's progress report leaves it
        db.session.execute(update(ImportJob).values(status="validating", total=10, processed=4))
    fragment = signed_in.get(f"/imports/{job_id}/progress").get_data(as_text=True)
    assert POLLING in fragment and 'aria-valuenow="40"' in fragment
    assert "Checking row 4 of 10…" in fragment and "4 of 10 rows" in fragment


def test_an_import_with_a_bad_row_writes_nothing_and_says_so(app, signed_in, api, tenant):
    response = send(signed_in, "/imports/new", CONTACTS + ONE_BAD_ROW, dry_run="false")
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    process(app, tenant)
    page = signed_in.get(f"/imports/{job_id}").get_data(as_text=True)
    assert "1 row has errors, so nothing was imported." in page and "Line 3" in page
    assert 'href="/imports/new?entity=contact"' in page
    assert contacts(api) == []


def test_duplicates_are_handled_as_chosen(app, signed_in, api, tenant):
    api.post("/contacts", json={"last_name": "Lovelace", "email": "ada@example.test"})
    response = send(signed_in, "/imports/new", CONTACTS + GOOD_ROWS.replace(
        "Ada,Lovelace", "Augusta,Lovelace-King"), dry_run="false", on_duplicate="update")
    process(app, tenant)
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Import finished: 1 created, 1 updated, 0 skipped." in page
    assert "Update the existing record from the row" in page
    assert contacts(api) == ["Lovelace-King", "Turing"]


@pytest.mark.parametrize("url", ["/imports/new/columns", "/imports/new"])
@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"PK\x03\x04\x14\x00binary", "contacts.xlsx",
     "“contacts.xlsx” is not a CSV file. Save it as “CSV UTF-8” and upload it again."),
    (b"Last name\n\xff\xfeLovelace\n", "contacts.csv",
     "The file is not UTF-8 text (byte 11); save it as &#39;CSV UTF-8&#39; and upload it again."),
    (b"", "contacts.csv", "The file is empty: the first line must name the columns."),
    (b"Last name,Last name\nA,B\n", "contacts.csv", "Columns named more than once: Last name."),
])
def test_bad_uploads_get_a_clear_message_and_store_nothing(app, signed_in, api, url, content,
                                                           filename, message):
    for htmx in (True, False):
        response = send(signed_in, url, content, filename, htmx=htmx, dry_run="false")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page, page
        assert ('id="import-form"' in page) is not htmx, "htmx gets a fragment, else the form"
    assert api.get("/imports").get_json()["items"] == []
    assert stored_files(app) == []


def test_importing_without_a_file_asks_for_one(signed_in, api):
    response = signed_in.post("/imports/new", data={
        "csrf_token": csrf(signed_in), "entity": "contact", "dry_run": "false"})
    assert response.status_code == 422
    assert "Choose a CSV file." in response.get_data(as_text=True)
    assert api.get("/imports").get_json()["items"] == []


@pytest.mark.parametrize("patron_config", [{"PATRON_IMPORT_MAX_BYTES": 100}])
@pytest.mark.parametrize("url", ["/imports/new/columns", "/imports/new"])
def test_an_oversized_upload_is_refused_and_stores_nothing(app, signed_in, api, url,
                                                           patron_config):
    response = send(signed_in, url, CONTACTS + GOOD_ROWS * 5, htmx=True, dry_run="true")
    assert response.status_code == 413
    assert "The file is larger than 0 MB, the most an import takes." in \
        response.get_data(as_text=True)
    assert api.get("/imports").get_json()["items"] == []
    assert stored_files(app) == []


@pytest.mark.parametrize(("form", "message"), [
    ({"column": ["Last name"], "field": [""]}, "Choose a field for at least one column."),
    ({"column": ["Surname"], "field": ["last_name"]},
     "Column “Surname”: The file has no such column."),
    ({"on_duplicate": "merge"}, "Choose what to do with rows that match an existing record."),
    ({"entity": "spaceship"}, "There is nothing called &#39;spaceship&#39; to import."),
])
def test_a_mapping_that_cannot_work_is_refused(app, signed_in, api, form, message):
    response = check(signed_in, CONTACTS + GOOD_ROWS, **form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert api.get("/imports").get_json()["items"] == []


def test_imports_stay_within_the_data_scope(app, auth, tenant, signed_in, make_user):
    theirs = send(signed_in, "/imports/new", CONTACTS + GOOD_ROWS, dry_run="false")
    theirs_id = theirs.headers["Location"].rsplit("/", 1)[1]
    rep = signed_in_as(app, auth, tenant, make_user, "sales_rep")
    mine = send(rep, "/imports/new", CONTACTS + GOOD_ROWS, "mine.csv", dry_run="false")
    listing = rep.get("/imports/").get_data(as_text=True)
    assert "mine.csv" in listing and theirs_id not in listing
    assert rep.get(f"/imports/{theirs_id}").status_code == 404
    assert rep.get(mine.headers["Location"]).status_code == 200


def test_another_tenants_imports_are_invisible(app, auth, tenant, other_tenant, signed_in):
    response = send(signed_in, "/imports/new", CONTACTS + GOOD_ROWS, "acme-secret.csv",
                    dry_run="false")
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    process(app, tenant)
    neighbour = app.test_client()
    auth.login(other_tenant, client=neighbour)
    listing = neighbour.get("/imports/").get_data(as_text=True)
    assert "acme-secret.csv" not in listing and 'id="no-imports"' in listing
    for url in (f"/imports/{job_id}", f"/imports/{job_id}/progress"):
        response = neighbour.get(url)
        assert response.status_code == 404
        assert "acme-secret" not in response.get_data(as_text=True)


def test_export_downloads_the_list_with_its_filters(signed_in, api):
    for name in ("Acme", "Acme East", "Initech"):
        api.post("/accounts", json={"name": name})
    page = signed_in.get("/records/account/?name__contains=Acme&sort=-name")
    assert 'href="/records/account/export?name__contains=Acme&amp;sort=-name"' in \
        page.get_data(as_text=True)
    response = signed_in.get("/records/account/export?name__contains=Acme&sort=-name")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="accounts.csv"'
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id,") and "name" in lines[0].split(",")
    names = [line.split(",")[lines[0].split(",").index("name")] for line in lines[1:]]
    assert names == ["Acme East", "Acme"]


def test_export_with_a_bad_filter_goes_back_to_the_list(signed_in):
    response = signed_in.get("/records/account/export?created_at__gte=someday")
    assert response.status_code == 302
    assert response.headers["Location"] == "/records/account/?created_at__gte=someday"
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "The list&#39;s filters are not valid, so nothing was exported." in page

"""CSV imports (issue 3, item 7): upload, validation by line, all-or-nothing, duplicates,
custom fields, progress, permissions and tenant isolation.

Imports run as production runs them: ``work_once()`` (what ``patron worker`` and ``patron
run``'s thread do), or the ``core.imports`` job's function for the tenant in context, with a
small batch size where a test needs several batches.
"""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from patron.db import db, tenant_context
from patron.db.mixins import utcnow
from patron.events.models import OutboxMessage
from patron.events.worker import work_once
from patron.imports.models import ImportJob
from patron.imports.run import ImportRun
from patron.imports.runner import claim_next, run_queued_imports
from patron.modules import enable_module
from patron.rbac.models import Role
from patron.testing.fixtures import in_tenant

ACCOUNTS = "Name,Domain,Website\n"


def upload(api, text: str | bytes, resource: str = "account", **form):
    """``POST /imports`` with ``text`` as the file and ``form`` as the other fields."""
    content = text.encode() if isinstance(text, str) else text
    data = {"file": (io.BytesIO(content), "data.csv"), "resource": resource,
            **{k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()}}
    return api.post("/imports", data=data, content_type="multipart/form-data")


def process(app, tenant, batch_size: int = 1000) -> None:
    """Run the tenant's queued imports, as the worker's ``core.imports`` job does."""
    with app.app_context(), tenant_context(tenant.id):
        run_queued_imports(batch_size)
        db.session.remove()


def imported(app, api, tenant, text: str, resource: str = "account", **form) -> dict:
    """Upload ``text``, let the worker run it, return the finished job."""
    response = upload(api, text, resource, **form)
    assert response.status_code == 202, response.get_json()
    process(app, tenant)
    return api.get(f"/imports/{response.get_json()['id']}").get_json()


def names(api) -> list[str]:
    return sorted(a["name"] for a in api.get("/accounts?limit=200").get_json()["items"])


def define(api, name: str, type_: str, **extra) -> None:
    response = api.post("/custom-fields", json={"entity": "account", "name": name,
                                                "label": name.title(), "type": type_, **extra})
    assert response.status_code == 201, response.get_json()


@pytest.fixture
def api(auth, tenant):
    return auth.api(tenant)


def test_upload_is_queued_and_the_worker_imports_it(app, api, tenant):
    response = upload(api, ACCOUNTS + "Acme,acme.test,https://acme.test\nInitech,,\n")
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/imports/{job['id']}")
    assert (job["status"], job["resource"], job["owner_id"]) == ("queued", "account",
                                                                  api.user_id)
    assert job["mapping"] == {"Name": "name", "Domain": "domain", "Website": "website"}
    assert (Path(app.config["PATRON_HOME"]) / "imports" / str(tenant.id)
            / f"{job['id']}.csv").is_file()
    with app.app_context():
        work_once()
    job = api.get(f"/imports/{job['id']}").get_json()
    assert job["status"] == "done", job
    assert (job["total"], job["processed"], job["errors"]) == (2, 2, [])
    assert job["counts"] == {"created": 2, "updated": 0, "skipped": 0}
    accounts = api.get("/accounts").get_json()["items"]
    assert sorted(a["name"] for a in accounts) == ["Acme", "Initech"]
    assert {a["owner_id"] for a in accounts} == {api.user_id}
    assert not list((Path(app.config["PATRON_HOME"]) / "imports").rglob("*.*")), \
        "the upload is removed once imported"
    [told] = api.get("/me/notifications").get_json()["items"]
    assert told["text"] == ("Your import of “data.csv” has finished: 2 created, 0 updated, "
                            "0 skipped.")
    assert told["link"] == f"/imports/{job['id']}"


def test_dry_run_reports_each_bad_row_by_line_and_field_and_writes_nothing(app, api, tenant):
    bad = ACCOUNTS + "Good,good.test,\nBad site,bad.test,not a url\n,nameless.test,\n"
    job = imported(app, api, tenant, bad, dry_run=True)
    assert job["status"] == "done" and job["dry_run"]
    assert job["errors"] == [
        {"line": 3, "field": "website", "column": "Website",
         "message": "Enter a web address, such as https://example.com."},
        {"line": 4, "field": "name", "column": "Name",
         "message": "This field is required."},
    ]
    assert job["error_count"] == 2 and "2 row(s) have errors" in job["detail"]
    assert names(api) == []
    fixed = bad.replace("not a url", "https://bad.test").replace(",nameless", "Named,nameless")
    job = imported(app, api, tenant, fixed)
    assert (job["status"], job["errors"], job["counts"]["created"]) == ("done", [], 3)
    assert names(api) == ["Bad site", "Good", "Named"]


def test_a_real_import_with_one_bad_row_writes_nothing(app, api, tenant):
    job = imported(app, api, tenant, ACCOUNTS + "One,one.test,\nTwo,two.test,nope\n")
    assert job["status"] == "failed"
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(3, "website")]
    assert job["counts"] == {"created": 0, "updated": 0, "skipped": 0}
    assert "nothing was imported" in job["detail"]
    assert names(api) == []
    assert [n["text"] for n in api.get("/me/notifications").get_json()["items"]] == [
        "Your import of “data.csv” failed; its page says why."]


def test_dry_run_of_a_good_file_says_what_would_happen(app, api, tenant):
    api.post("/accounts", json={"name": "Acme", "domain": "acme.test"})
    job = imported(app, api, tenant, ACCOUNTS + "Acme,ACME.test,\nNew,new.test,\n",
                   dry_run=True)
    assert (job["status"], job["errors"]) == ("done", [])
    assert job["counts"] == {"created": 1, "updated": 0, "skipped": 1}
    assert names(api) == ["Acme"]


def test_line_numbers_are_the_files_own_lines(app, api, tenant):
    text = ACCOUNTS + '"Multi\nline",multi.test,\n\nStill fine,x.test,\nBroken,b.test,nope\n'
    job = imported(app, api, tenant, text, dry_run=True)
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(6, "website")]


def test_rows_with_the_wrong_number_of_cells_are_reported(app, api, tenant):
    job = imported(app, api, tenant, ACCOUNTS + "One,one.test\nTwo,two.test,,extra\n")
    assert job["status"] == "failed"
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(2, None), (3, None)]
    assert job["errors"][0]["message"] == "Expected 3 cells as in the header, found 2."


@pytest.fixture
def existing(api):
    """Acme (found by domain) and Globex (no domain: found by name)."""
    acme = api.post("/accounts", json={"name": "Acme", "domain": "acme.test",
                                       "industry": "old"}).get_json()
    globex = api.post("/accounts", json={"name": "Globex"}).get_json()
    return acme, globex


DUPLICATES = "Name,Domain,Industry\nAcme Corp,ACME.test,retail\nGLOBEX,,energy\nNew,new.test,\n"


def test_duplicates_are_skipped(app, api, tenant, existing):
    job = imported(app, api, tenant, DUPLICATES, on_duplicate="skip")
    assert job["counts"] == {"created": 1, "updated": 0, "skipped": 2}
    assert names(api) == ["Acme", "Globex", "New"]
    assert api.get(f"/accounts/{existing[0]['id']}").get_json()["industry"] == "old"


def test_duplicates_are_updated_with_a_version_bump(app, api, tenant, existing):
    job = imported(app, api, tenant, DUPLICATES, on_duplicate="update")
    assert job["counts"] == {"created": 1, "updated": 2, "skipped": 0}, job
    acme = api.get(f"/accounts/{existing[0]['id']}").get_json()
    assert (acme["name"], acme["industry"], acme["version"]) == ("Acme Corp", "retail", 2)
    assert api.get(f"/accounts/{existing[1]['id']}").get_json()["industry"] == "energy"
    assert names(api) == ["Acme Corp", "GLOBEX", "New"]


def test_duplicates_are_created_anyway(app, api, tenant, existing):
    job = imported(app, api, tenant, DUPLICATES, on_duplicate="create")
    assert job["counts"] == {"created": 3, "updated": 0, "skipped": 0}
    assert len(names(api)) == 5


def test_rows_repeated_within_the_file(app, api, tenant):
    text = "Name,Domain,Industry\nFirst,same.test,a\nSecond,SAME.test,b\n"
    job = imported(app, api, tenant, text, on_duplicate="skip")
    assert (job["counts"]["created"], job["counts"]["skipped"]) == (1, 1)
    assert names(api) == ["First"]
    # Both rows new: the second updates the record the first created in the same file.
    job = imported(app, api, tenant, text.replace("same", "other").replace("SAME", "OTHER"),
                   on_duplicate="update")
    assert (job["counts"]["created"], job["counts"]["updated"]) == (1, 1)
    assert names(api) == ["First", "Second"]
    other = api.get("/accounts?q=Second").get_json()["items"]
    assert [(a["domain"], a["industry"], a["version"]) for a in other] == [("OTHER.test", "b", 2)]


def test_updating_refuses_a_row_that_matches_several_records(app, api, tenant):
    for _ in range(2):
        api.post("/accounts", json={"name": "Twin"})
    job = imported(app, api, tenant, "Name,Industry\ntwin,x\n", on_duplicate="update")
    assert job["status"] == "failed"
    assert job["errors"][0]["field"] == "name" and "2 existing" in job["errors"][0]["message"]


def test_custom_fields_in_the_csv(app, api, tenant):
    define(api, "tier", "select", options=["gold", "silver"])
    define(api, "seats", "number")
    define(api, "tags", "multi_select", options=["a", "b", "c"])
    define(api, "vip", "boolean", default=False)
    text = "Name,Tier,custom.seats,Tags\nAcme,gold,12,a; c\nBad,bronze,many,a\n"
    job = imported(app, api, tenant, text, dry_run=True)
    assert job["mapping"] == {"Name": "name", "Tier": "custom.tier",
                              "custom.seats": "custom.seats", "Tags": "custom.tags"}
    assert sorted((e["line"], e["field"], e["column"]) for e in job["errors"]) == [
        (3, "custom.seats", "custom.seats"), (3, "custom.tier", "Tier")]
    job = imported(app, api, tenant, text.replace("Bad,bronze,many", "Fine,silver,3"))
    assert job["status"] == "done", job
    acme = api.get("/accounts?name=Acme").get_json()["items"][0]
    assert acme["custom"] == {"tier": "gold", "seats": 12, "tags": ["a", "c"], "vip": False}


def test_a_unique_custom_value_clash_is_reported_with_its_line(app, api, tenant):
    define(api, "vat", "text", unique=True)
    api.post("/accounts", json={"name": "Holder", "custom": {"vat": "X1"}})
    text = "Name,Vat\nClash,x1\nFirst,Y2\nSecond,Y2\n"
    job = imported(app, api, tenant, text, on_duplicate="create")
    assert job["status"] == "failed"
    assert [(e["line"], e["field"], e["column"]) for e in job["errors"]] == [
        (2, "custom.vat", "Vat"), (4, "custom.vat", "Vat")]
    assert job["errors"][0]["message"] == "This value is already used."
    assert names(api) == ["Holder"]


def test_rules_of_the_resource_itself_apply(app, api, tenant):
    """A reference is checked by the resource's own rules, which need the database."""
    text = "Name,Parent\nChild,01890000-0000-7000-8000-000000000000\n"
    job = imported(app, api, tenant, text, dry_run=True)
    assert [(e["line"], e["field"]) for e in job["errors"]] == [(2, "parent_id")]


class Pauses:
    """Stops the worker at given points of its progress until the test has looked."""

    def __init__(self, points: list[tuple[bool, int]]) -> None:
        self.points = points
        self.reached = threading.Event()
        self.resume = threading.Event()

    def install(self, monkeypatch) -> None:
        original = ImportRun.report

        def report(run, *, writing: bool = False, **values) -> None:
            original(run, writing=writing, **values)
            if self.points and "status" not in values and \
                    (writing, run.processed) == self.points[0]:
                self.points.pop(0)
                self.reached.set()
                assert self.resume.wait(30)
                self.resume.clear()

        monkeypatch.setattr(ImportRun, "report", report)

    def wait(self) -> None:
        assert self.reached.wait(30), "the worker never got there"
        self.reached.clear()


def test_progress_is_visible_while_the_import_runs(app, api, tenant, monkeypatch):
    rows = "".join(f"Account {i},a{i}.test,\n" for i in range(10))
    job = upload(api, ACCOUNTS + rows).get_json()
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    # SQLite has one writer: progress shows in the validation pass (see patron.imports.progress)
    pauses = Pauses([(False, 4), *([(True, 4)] if postgres else [])])
    pauses.install(monkeypatch)
    worker = threading.Thread(target=process, args=(app, tenant, 2))
    worker.start()
    try:
        pauses.wait()
        seen = api.get(f"/imports/{job['id']}").get_json()
        assert (seen["status"], seen["processed"], seen["total"]) == ("validating", 4, 10)
        pauses.resume.set()
        if postgres:
            pauses.wait()
            seen = api.get(f"/imports/{job['id']}").get_json()
            assert (seen["status"], seen["processed"]) == ("importing", 4)
            assert seen["counts"]["created"] == 4
            assert names(api) == [], "nothing is committed before the end"
            pauses.resume.set()
    finally:
        pauses.resume.set()
        worker.join(30)
    assert api.get(f"/imports/{job['id']}").get_json()["status"] == "done"
    assert len(names(api)) == 10


@pytest.mark.parametrize(("content", "form", "errors"), [
    (b"", {}, {"file": ["The file is empty: the first line must name the columns."]}),
    (b"Name\n\xff\xfeAcme\n", {}, {"file": [
        "The file is not UTF-8 text (byte 6); save it as 'CSV UTF-8' and upload it again."]}),
    (b"Name,Name\nA,B\n", {}, {"file": ["Columns named more than once: Name."]}),
    (b"Name,\nA,B\n", {}, {"file": ["Column 2 of the header has no name."]}),
    (b"Name\nA\n", {"resource": "spaceship"},
     {"resource": ["There is nothing called 'spaceship' to import."]}),
    (b"Name\nA\n", {"mapping": "{not json"}, {"mapping": ["Not valid JSON."]}),
    (b"Name\nA\n", {"mapping": '{"Nom": "name"}'},
     {"mapping": {"Nom": ["The file has no such column."]}}),
    (b"Name\nA\n", {"mapping": '{"Name": "colour"}'},
     {"mapping": {"Name": ["Account has no field 'colour'."]}}),
    (b"Colour\nred\n", {}, {"mapping": [
        "No column of the file matches a field of Account; send a mapping."]}),
    (b"Name\nA\n", {"on_duplicate": "merge"}, {"on_duplicate": ["Must be one of: skip, update, "
                                                                 "create."]}),
])
def test_malformed_uploads_are_422_and_store_nothing(app, api, content, form, errors):
    response = upload(api, content, **{"resource": "account", **form})
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == errors
    assert api.get("/imports").get_json()["items"] == []
    assert not list((Path(app.config["PATRON_HOME"]) / "imports").rglob("*.*"))


def test_an_upload_without_a_file_is_422(api):
    response = api.post("/imports", data={"resource": "account"},
                        content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"file": ["This field is required."]}


def test_a_file_unreadable_past_the_header_fails_the_job_with_its_line(app, api, tenant):
    text = ACCOUNTS + "Fine,f.test,\n" + "Huge," + "x" * 200_000 + ",\n"
    job = imported(app, api, tenant, text)
    assert job["status"] == "failed"
    assert job["detail"].startswith("Line 3 cannot be read as CSV: field larger than")
    assert names(api) == []


@pytest.mark.parametrize("patron_config", [{"PATRON_IMPORT_MAX_BYTES": 100}])
def test_an_oversized_upload_is_413_and_stores_nothing(app, api, patron_config):
    response = upload(api, ACCOUNTS + "Acme,acme.test,\n" * 20)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert api.get("/imports").get_json()["items"] == []
    assert not list((Path(app.config["PATRON_HOME"]) / "imports").rglob("*.*"))


def test_importing_needs_the_permissions(app, api, tenant, make_user):
    reader = make_user(tenant, "read_only")
    assert upload(reader, ACCOUNTS + "A,a.test,\n").status_code == 403
    role = api.post("/roles", json={"key": "importer", "name": "Importer", "permissions": [
        "core.imports.read", "core.imports.create", "core.accounts.read",
        "core.accounts.create"]}).get_json()
    assert role["id"]
    importer = make_user(tenant, "importer")
    assert upload(importer, ACCOUNTS + "A,a.test,\n").status_code == 202
    assert upload(importer, ACCOUNTS + "A,a.test,\n", on_duplicate="update").status_code == 403
    assert upload(importer, "Last name\nX\n", resource="contact").status_code == 403


def test_updates_reach_only_records_in_the_users_scope(app, api, tenant, make_user):
    theirs = api.post("/accounts", json={"name": "Theirs", "domain": "theirs.test"}).get_json()
    rep = make_user(tenant, "sales_rep")
    rep.post("/accounts", json={"name": "Mine", "domain": "mine.test"})
    text = "Name,Domain,Industry\nMine,mine.test,updated\nTheirs,theirs.test,hijacked\n"
    job = imported(app, rep, tenant, text, on_duplicate="update")
    assert job["counts"] == {"created": 1, "updated": 1, "skipped": 0}, job
    assert api.get(f"/accounts/{theirs['id']}").get_json()["industry"] is None
    assert {a["industry"] for a in rep.get("/accounts").get_json()["items"]} == {
        "updated", "hijacked"}


def test_the_import_stops_if_its_user_lost_the_permission(app, api, tenant, make_user):
    rep = make_user(tenant, "sales_rep")
    job = upload(rep, ACCOUNTS + "A,a.test,\n").get_json()
    with in_tenant(app, tenant):
        role = db.session.execute(select(Role).where(Role.key == "sales_rep")).scalar_one()
        role.permissions = [p for p in role.permissions if p != "core.accounts.create"]
    process(app, tenant)
    job = api.get(f"/imports/{job['id']}").get_json()
    assert job["status"] == "failed"
    assert job["detail"] == "You no longer hold core.accounts.create; nothing was imported."
    assert names(api) == []


def test_fields_the_user_may_not_change_cannot_be_imported(api, tenant, make_user):
    define(api, "margin", "decimal")
    role = api.get("/roles?key=sales_rep").get_json()["items"][0]
    api.patch(f"/roles/{role['id']}", json={"field_access": {"account": {
        "phone": "hidden", "industry": "read_only", "custom.margin": "hidden"}}})
    rep = make_user(tenant, "sales_rep")
    suggestion = rep.get("/imports/suggest-mapping?resource=account&columns=Name"
                         "&columns=Industry&columns=Margin").get_json()
    assert suggestion["mapping"] == {"Name": "name", "Industry": None, "Margin": None}
    assert {"phone", "industry", "custom.margin"}.isdisjoint(
        f["name"] for f in suggestion["fields"])
    response = upload(rep, "Name,Industry\nA,x\n", mapping='{"Industry": "industry"}')
    assert response.get_json()["errors"] == {"mapping": {
        "Industry": ["You may not change 'industry'."]}}


def test_imports_are_listed_within_the_data_scope(app, api, tenant, make_user):
    rep = make_user(tenant, "sales_rep")
    mine = upload(rep, ACCOUNTS + "A,a.test,\n").get_json()
    theirs = upload(api, ACCOUNTS + "B,b.test,\n").get_json()
    assert [j["id"] for j in rep.get("/imports").get_json()["items"]] == [mine["id"]]
    assert rep.get(f"/imports/{theirs['id']}").status_code == 404
    assert {j["id"] for j in api.get("/imports").get_json()["items"]} == {mine["id"],
                                                                           theirs["id"]}
    assert [j["id"] for j in api.get("/imports?status=queued&owner=me").get_json()["items"]] \
        == [theirs["id"]]


def test_another_tenant_cannot_see_an_import(app, api, tenant, auth, other_tenant):
    job = imported(app, api, tenant, ACCOUNTS + "Secret,secret.test,\n")
    neighbour = auth.api(other_tenant)
    assert neighbour.get(f"/imports/{job['id']}").status_code == 404
    assert neighbour.get("/imports").get_json()["items"] == []
    process(app, other_tenant)
    assert neighbour.get("/accounts").get_json()["items"] == []


def test_imported_records_emit_the_apis_events(app, api, tenant, fake_plugin):
    """Created records go through the API's operations: events, hence webhooks and audit."""
    with in_tenant(app, tenant):
        enable_module("recorder")
    imported(app, api, tenant, ACCOUNTS + "A,a.test,\nB,b.test,\n")
    with in_tenant(app, tenant):
        events = db.session.execute(select(OutboxMessage.event_name)).scalars().all()
    assert events.count("account.created") == 2


@pytest.fixture
def patron_extra_plugins(fake_plugin):
    return [fake_plugin("recorder")]


def test_each_import_is_claimed_once_and_a_dead_workers_import_is_taken_over(app, api,
                                                                            tenant):
    job = upload(api, ACCOUNTS + "A,a.test,\n").get_json()
    with in_tenant(app, tenant):
        assert claim_next() is not None
        assert claim_next() is None, "a running import is not claimed twice"
        db.session.execute(update(ImportJob).values(heartbeat_at=utcnow() - timedelta(hours=1)))
    process(app, tenant)
    assert api.get(f"/imports/{job['id']}").get_json()["status"] == "done"
    assert names(api) == ["A"]


def test_an_exported_file_imports_again(app, api, auth, tenant, other_tenant):
    define(api, "tier", "select", options=["gold"])
    api.post("/accounts", json={"name": "Acme", "domain": "acme.test", "website":
                                "https://acme.test", "custom": {"tier": "gold"}})
    api.post("/accounts", json={"name": "=Formula", "kind": "individual"})
    exported = api.get("/exports/account?sort=name").get_data()
    neighbour = auth.api(other_tenant)
    define(neighbour, "tier", "select", options=["gold"])
    job = imported(app, neighbour, other_tenant, exported)
    assert job["status"] == "done", job
    assert "id" not in job["mapping"] and job["mapping"]["custom.tier"] == "custom.tier"
    copies = neighbour.get("/accounts?sort=name").get_json()["items"]
    assert [(a["name"], a["kind"], a["custom"]) for a in copies] == [
        ("'=Formula", "individual", {}), ("Acme", "company", {"tier": "gold"})]


def test_suggest_mapping_matches_names_and_labels(api):
    define(api, "tier", "select", options=["gold"])
    response = api.get("/imports/suggest-mapping?resource=account&columns=NAME"
                       "&columns=web_site&columns=Parent&columns=TIER&columns=Colour")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["mapping"] == {"NAME": "name", "web_site": "website", "Parent": "parent_id",
                               "TIER": "custom.tier", "Colour": None}
    fields = {f["name"]: f for f in body["fields"]}
    assert fields["name"]["required"] and fields["custom.tier"]["label"] == "Tier"
    assert "addresses" not in fields, "nested objects have no CSV form"
    assert api.get("/imports/suggest-mapping?resource=spaceship&columns=x").status_code == 422


def test_a_company_column_names_each_contacts_account(app, api, tenant, make_user):
    initech = api.post("/accounts", json={"name": "Initech", "domain": "initech.test"})
    globex = api.post("/accounts", json={"name": "Globex", "domain": "globex.test"})
    initech, globex = initech.get_json(), globex.get_json()
    api.post("/accounts", json={"name": "Twin"})
    api.post("/accounts", json={"name": "twin", "domain": "twin-2.test"})
    header = "First name,Last name,Company\n"
    suggested = upload(api, header + "Ann,Lee,Initech\n", "contact").get_json()["mapping"]
    assert suggested["Company"] == "account_id"  # mapped without being told
    job = imported(app, api, tenant, header + "Ann,Lee,initech\nBob,Ray,GLOBEX.test\n"
                   "Cy,Day,Twin\nDee,Eve,Nowhere Inc\n" f"Fay,Gil,{globex['id']}\n", "contact")
    assert job["status"] == "failed"
    assert [(e["line"], e["field"], e["column"]) for e in job["errors"]] == [
        (4, "account_id", "Company"), (5, "account_id", "Company")]
    assert "2 account records match “Twin”" in job["errors"][0]["message"]
    assert job["errors"][1]["message"] == "No account is called or identified by “Nowhere Inc”."
    job = imported(app, api, tenant, header + "Ann,Lee,initech\nBob,Ray,GLOBEX.test\n"
                   f"Fay,Gil,{globex['id']}\n", "contact")
    assert (job["status"], job["counts"]["created"]) == ("done", 3), job
    contacts = {c["last_name"]: c["account_id"]
                for c in api.get("/contacts?limit=50").get_json()["items"]}
    assert contacts == {"Lee": initech["id"], "Ray": globex["id"], "Gil": globex["id"]}


def test_a_reference_by_name_finds_only_what_the_user_may_read(app, api, tenant, make_user):
    api.post("/accounts", json={"name": "Admin Only Co"})
    rep = make_user(tenant, "sales_rep")
    job = imported(app, rep, tenant, "Last name,Company\nLee,Admin Only Co\n", "contact",
                   dry_run=True)
    assert [e["message"] for e in job["errors"]] == [
        "No account is called or identified by “Admin Only Co”."]


def test_people_and_module_lookups_are_named_too(app, api, tenant, make_user, switch_module):
    switch_module(api, "service")
    make_user(tenant, "service_agent", email="agnes@acme.test")
    queue = api.post("/service/queues", json={"name": "Hardware desk"}).get_json()
    header = "Subject,Assignee,Queue\n"
    job = imported(app, api, tenant, header + "Jammed printer,AGNES@acme.test,hardware desk\n"
                   "Broken chair,nobody@acme.test,Furniture\n", "ticket", dry_run=True)
    errors = {e["field"]: (e["line"], e["message"]) for e in job["errors"]}
    assert errors == {
        "assignee_id": (3, "No user is called or identified by “nobody@acme.test”."),
        "queue_id": (3, "No queue is called or identified by “Furniture”.")}
    job = imported(app, api, tenant, header + "Jammed printer,AGNES@acme.test,hardware desk\n",
                   "ticket")
    assert job["status"] == "done", job
    ticket = api.get("/service/tickets?limit=5").get_json()["items"][0]
    agnes = api.get("/users?email=agnes@acme.test").get_json()["items"][0]
    assert (ticket["assignee_id"], ticket["queue_id"]) == (agnes["id"], queue["id"])

"""The floor of the API benchmark: a minimal Flask app doing the same SQL as Patron for each
benchmarked endpoint, with SQLAlchemy Core, answering the same JSON: no authentication, no
permission or data-scope checks, no schemas, no events, no audit.

Served by gunicorn exactly as ``patron serve`` serves Patron (``bench/api.py`` starts it)::

    BENCH_DATABASE_URL=... BENCH_TENANT_ID=... BENCH_OWNER_ID=... \
        gunicorn --chdir bench -w 2 floor_app:app

On PostgreSQL it connects as the same non-owner role and sets the same per-transaction tenant
setting, so row-level security costs it what it costs Patron.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, abort, request
from sqlalchemy import Connection, and_, create_engine, insert, or_, select, text, update

from patron.customers.models import Account, Activity, Attachment, Contact
from patron.db.fulltext import match_documents, matching, titles_containing
from patron.db.ids import new_id
from patron.db.json_ops import json_contains_value, json_value
from patron.db.postgres import install_custom_plans
from patron.db.sqlite import tune_sqlite_engine
from patron.records.paging import encode_cursor
from patron.search.models import SearchDocument
from patron.search.text import query_tokens, snippet

SECTION_LIMIT = 20
ACCOUNTS, CONTACTS = Account.__table__, Contact.__table__
ACTIVITIES, ATTACHMENTS = Activity.__table__, Attachment.__table__
DOCUMENTS = SearchDocument.__table__

app = Flask(__name__)
engine = create_engine(os.environ["BENCH_DATABASE_URL"])
tune_sqlite_engine(engine)
install_custom_plans(engine)  # as Patron plans (patron.db.postgres)
TENANT_ID = uuid.UUID(os.environ["BENCH_TENANT_ID"])
#: Whom new contacts belong to (Patron makes the signed-in user their owner).
OWNER_ID = uuid.UUID(os.environ["BENCH_OWNER_ID"])


def plain(value: Any) -> Any:
    """A column value as JSON carries it."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record(row) -> dict[str, Any]:
    """A row as the API shows a record (``tenant_id`` left out)."""
    item = {key: plain(value) for key, value in row._mapping.items() if key != "tenant_id"}
    if "last_name" in item:
        item["full_name"] = f"{item.get('first_name') or ''} {item['last_name']}".strip()
    return item


def begin() -> Connection:
    """A connection in a transaction for the tenant (the RLS setting, as Patron makes it)."""
    connection = engine.connect()
    connection.begin()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT set_config('patron.tenant_id', :t, true)"),
                           {"t": str(TENANT_ID)})
    return connection


def page(connection: Connection, statement, keys: list, limit: int,
         cursor: list | None) -> dict:
    """A keyset page ordered by ``keys`` (ascending), as ``patron.api.pagination`` pages."""
    if cursor:
        terms, equal = [], []
        for key, value in zip(keys, cursor, strict=True):
            terms.append(and_(*equal, key > value))
            equal.append(key == value)
        # The leading key's range too, as patron.api.pagination.after adds it.
        statement = statement.where(keys[0] >= cursor[0], or_(*terms))
    rows = connection.execute(statement.order_by(*keys).limit(limit + 1)).all()
    items = rows[:limit]
    next_cursor = (encode_cursor([getattr(items[-1], k.name) for k in keys])
                   if len(rows) > limit else None)
    return {"items": [record(r) for r in items], "next_cursor": next_cursor}


def decode(cursor: str | None) -> list | None:
    """The values of a cursor made by Patron (``patron.api.pagination.encode_cursor``)."""
    if not cursor:
        return None
    values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return [values[0], uuid.UUID(values[1])]


@app.get("/api/v1/contacts")
def list_contacts():
    """Contacts filtered by owner and tier when asked, sorted by last name."""
    args = request.args
    statement = select(CONTACTS).where(CONTACTS.c.tenant_id == TENANT_ID)
    if "owner_id" in args:
        statement = statement.where(CONTACTS.c.owner_id == uuid.UUID(args["owner_id"]))
    if "custom.tier" in args:
        # The condition Patron's filter writes: containment on PostgreSQL (its GIN index),
        # the extracted value elsewhere (patron.records.spec.ResourceSpec.filter_set).
        statement = statement.where(
            json_contains_value(CONTACTS.c.custom, "tier", args["custom.tier"])
            if engine.dialect.name == "postgresql"
            else json_value(CONTACTS.c.custom, "tier", "select") == args["custom.tier"])
    with begin() as connection:
        result = page(connection, statement, [CONTACTS.c.last_name, CONTACTS.c.id],
                      int(args.get("limit", 50)), decode(args.get("cursor")))
        connection.commit()
    return result


@app.get("/api/v1/contacts/<uuid:record_id>")
def read_contact(record_id: uuid.UUID):
    """One contact."""
    with begin() as connection:
        row = connection.execute(select(CONTACTS).where(
            CONTACTS.c.tenant_id == TENANT_ID, CONTACTS.c.id == record_id)).first()
        connection.commit()
    if row is None:
        abort(404)
    return record(row)


def section(connection: Connection, table, criteria, newest_first) -> dict:
    """A first page of related records, newest first."""
    rows = connection.execute(select(table).where(table.c.tenant_id == TENANT_ID, *criteria)
                              .order_by(*(c.desc() for c in newest_first))
                              .limit(SECTION_LIMIT + 1)).all()
    return {"items": [record(r) for r in rows[:SECTION_LIMIT]],
            "next_cursor": "more" if len(rows) > SECTION_LIMIT else None}


@app.get("/api/v1/accounts/<uuid:record_id>/360")
def account_360(record_id: uuid.UUID):
    """The account with its contacts, timeline and files."""
    with begin() as connection:
        account = connection.execute(select(ACCOUNTS).where(
            ACCOUNTS.c.tenant_id == TENANT_ID, ACCOUNTS.c.id == record_id)).first()
        if account is None:
            abort(404)
        result = {
            "account": record(account),
            "contacts": section(connection, CONTACTS, [CONTACTS.c.account_id == record_id],
                                [CONTACTS.c.id]),
            "activities": section(connection, ACTIVITIES,
                                  [ACTIVITIES.c.account_id == record_id],
                                  [ACTIVITIES.c.created_at, ACTIVITIES.c.id]),
            "attachments": section(connection, ATTACHMENTS,
                                   [ATTACHMENTS.c.parent_entity == "account",
                                    ATTACHMENTS.c.parent_id == record_id],
                                   [ATTACHMENTS.c.id]),
            "panels": [],
        }
        connection.commit()
    return result


def document_of(contact: dict) -> dict:
    """The searchable text of a contact (title, content), as the indexer writes it."""
    return {"title": contact["full_name"],
            "content": " ".join(str(contact[k]) for k in ("first_name", "last_name", "email")
                                if contact.get(k))}


@app.post("/api/v1/contacts")
def create_contact():
    """Insert a contact and its search document."""
    data = request.get_json()
    now = datetime.now(UTC)
    email = data.get("email", "").lower() or None
    values = {"tenant_id": TENANT_ID, "id": new_id(), "owner_id": OWNER_ID,
              "first_name": data.get("first_name"), "last_name": data["last_name"],
              "email": email, "emails": [email] if email else [], "phones": [],
              "account_id": uuid.UUID(data["account_id"]) if data.get("account_id") else None,
              "email_opt_in": False, "phone_opt_in": False, "custom": data.get("custom", {}),
              "created_at": now, "updated_at": now, "version": 1}
    with begin() as connection:
        row = connection.execute(insert(CONTACTS).values(values).returning(CONTACTS)).one()
        contact = record(row)
        connection.execute(insert(DOCUMENTS).values(
            tenant_id=TENANT_ID, id=new_id(), entity="contact", record_id=row.id,
            owner_id=OWNER_ID, keywords="", updated_at=now, **document_of(contact)))
        connection.commit()
    return contact, 201


@app.patch("/api/v1/contacts/<uuid:record_id>")
def update_contact(record_id: uuid.UUID):
    """Change a contact if its version is the one the client saw (else 409)."""
    data = request.get_json()
    version = int(request.headers["If-Match"])
    now = datetime.now(UTC)
    with begin() as connection:
        row = connection.execute(
            update(CONTACTS).where(CONTACTS.c.tenant_id == TENANT_ID, CONTACTS.c.id == record_id,
                                   CONTACTS.c.version == version)
            .values(**data, updated_at=now, version=version + 1).returning(CONTACTS)).first()
        if row is None:
            abort(409)
        contact = record(row)
        connection.execute(update(DOCUMENTS).where(
            DOCUMENTS.c.tenant_id == TENANT_ID, DOCUMENTS.c.entity == "contact",
            DOCUMENTS.c.record_id == record_id).values(updated_at=now, **document_of(contact)))
        connection.commit()
    return contact


@app.get("/api/v1/search")
def search():
    """The same ranked full-text query as Patron's, over all of the tenant's documents."""
    query, limit = request.args["q"], int(request.args.get("limit", 50))
    tokens = query_tokens(query)
    with begin() as connection:
        if engine.dialect.name == "postgresql":
            rows = postgres_hits(connection, query, tokens, limit)
        else:
            visible = select(DOCUMENTS.c.id, DOCUMENTS.c.entity, DOCUMENTS.c.record_id,
                             DOCUMENTS.c.title, DOCUMENTS.c.content).where(
                DOCUMENTS.c.tenant_id == TENANT_ID)
            matched, score = match_documents(visible, DOCUMENTS, tokens, tenant_id=TENANT_ID)
            rows = connection.execute(matched.order_by(
                score.desc(), DOCUMENTS.c.title, DOCUMENTS.c.record_id).limit(limit)).all()
        connection.commit()
    items = []
    for row in rows:
        item = {"entity": row.entity, "id": str(row.record_id), "title": row.title}
        words = snippet(row.content, tokens)
        if words:
            item["snippet"] = words
        items.append(item)
    return {"items": items, "next_cursor": None}


def postgres_hits(connection: Connection, query: str, tokens: list[str], limit: int) -> list:
    """The hits of Patron's PostgreSQL search functions, then titles containing the query."""
    def hits(found, statement) -> list:
        return connection.execute(statement.order_by(found.c.title, found.c.record_id)
                                  .limit(limit)).all()

    def columns(found):
        return select(found.c.id, found.c.entity, found.c.record_id, found.c.title,
                      found.c.content)

    matches = matching(tokens)
    rows = hits(matches, columns(matches).order_by(matches.c.rank.desc()))
    titles = titles_containing(" ".join(query.split()), "postgresql")
    if titles is not None and len(rows) < limit:
        limit -= len(rows)
        rows += hits(titles, columns(titles).where(titles.c.id.not_in([r.id for r in rows])))
    return rows


@app.get("/healthz")
def healthz():
    """The process is up."""
    return {"status": "ok"}

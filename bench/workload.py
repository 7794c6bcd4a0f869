"""The requests the API benchmark sends, the same to Patron and to the floor.

A :class:`Context` holds what the requests need from a seeded database (a rep to filter on,
accounts, contacts, words to search, a cursor deep into a list), sampled once with
:func:`sample_context`. Each endpoint turns it into a :class:`Call`; the update endpoint
carries the version it last saw per simulated user, so every ``PATCH`` sends a current
``If-Match`` and none is a conflict.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from patron.auth.models import User
from patron.customers.models import Account, Contact
from patron.records.paging import encode_cursor
from patron.tenancy.models import Tenant

#: The tier every list request filters on (a custom field of the seeded tenant).
TIER = "gold"
#: How deep into the sorted contact list the deep page starts.
DEEP = 0.9
PAGE = 50


@dataclass
class Context:
    """Ids and values sampled from the seeded database."""

    tenant_id: str
    owner_id: str
    account_ids: list[str]
    contact_ids: list[str]
    words: list[str]
    deep_cursor: str
    token: str = ""

    def save(self, path: Path) -> None:
        """Write the context for the load generator."""
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Context:
        """The context written by :meth:`save`."""
        return cls(**json.loads(path.read_text()))


@dataclass
class Call:
    """One HTTP request, relative to the server's root."""

    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class UserState:
    """What one simulated user remembers between its requests."""

    rng: random.Random
    contact_id: str
    version: int = 0


def sample_context(engine: Engine, slug: str, rng: random.Random) -> Context:
    """Sample the requests' ids and values from the tenant ``slug`` (read as table owner)."""
    with engine.connect() as connection:
        tenant_id = connection.execute(select(Tenant.id).where(Tenant.slug == slug)).scalar_one()
        contacts = Contact.__table__.c
        # The owner filter picks the third busiest owner: a real share, not the whole tenant.
        owners = connection.execute(
            select(contacts.owner_id, func.count())
            .where(contacts.tenant_id == tenant_id, contacts.owner_id.is_not(None))
            .group_by(contacts.owner_id).order_by(func.count().desc()).limit(3)).all()
        accounts = connection.execute(
            select(Account.__table__.c.id).where(Account.__table__.c.tenant_id == tenant_id)
            .order_by(func.random()).limit(500)).scalars().all()
        people = connection.execute(
            select(contacts.id, contacts.last_name).where(contacts.tenant_id == tenant_id)
            .order_by(func.random()).limit(500)).all()
        total = connection.execute(
            select(func.count()).where(contacts.tenant_id == tenant_id)).scalar_one()
        deep = connection.execute(
            select(contacts.last_name, contacts.id).where(contacts.tenant_id == tenant_id)
            .order_by(contacts.last_name, contacts.id).offset(int(total * DEEP)).limit(1)).one()
        connection.execute(select(User.id)).first()  # the users table is there (migrated)
    return Context(
        tenant_id=str(tenant_id), owner_id=str(owners[-1][0]),
        account_ids=[str(i) for i in accounts], contact_ids=[str(c.id) for c in people],
        words=sorted({c.last_name for c in people}),
        deep_cursor=encode_cursor([deep.last_name, deep.id]),
    )


def list_contacts(context: Context, state: UserState) -> Call:
    """A page of 50 contacts of one owner in one tier, sorted by last name."""
    return Call("GET", "/api/v1/contacts", {"limit": PAGE, "owner_id": context.owner_id,
                                            "custom.tier": TIER, "sort": "last_name"})


def deep_page(context: Context, state: UserState) -> Call:
    """A page of 50 contacts 90% of the way down the list sorted by last name."""
    return Call("GET", "/api/v1/contacts", {"limit": PAGE, "sort": "last_name",
                                            "cursor": context.deep_cursor})


def account_360(context: Context, state: UserState) -> Call:
    """The 360° view of a random account."""
    return Call("GET", f"/api/v1/accounts/{state.rng.choice(context.account_ids)}/360")


def create_contact(context: Context, state: UserState) -> Call:
    """A new contact at a random account, with custom-field values."""
    number = uuid.uuid4().hex[:12]
    return Call("POST", "/api/v1/contacts", json={
        "first_name": "Bench", "last_name": f"Load{number}",
        "email": f"bench.{number}@example.com",
        "account_id": state.rng.choice(context.account_ids),
        "custom": {"tier": TIER, "score": 50}})


def update_contact(context: Context, state: UserState) -> Call:
    """A change to the user's own contact, based on the version it last saw."""
    return Call("PATCH", f"/api/v1/contacts/{state.contact_id}",
                json={"title": f"Title {state.rng.randrange(1000)}"},
                headers={"If-Match": str(state.version)})


def search(context: Context, state: UserState) -> Call:
    """Global search for a last name."""
    return Call("GET", "/api/v1/search", {"q": state.rng.choice(context.words), "limit": 20})


#: Every endpoint of the benchmark, by the name it is printed under.
ENDPOINTS: dict[str, Callable[[Context, UserState], Call]] = {
    "list contacts": list_contacts,
    "deep keyset page": deep_page,
    "account 360": account_360,
    "create contact": create_contact,
    "update contact": update_contact,
    "global search": search,
}
#: The endpoints that only read.
READS = ("list contacts", "deep keyset page", "account 360", "global search")

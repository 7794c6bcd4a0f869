"""Navigation entries contributed through ``patron_provide_menu_items``, grouped for the
sidebar, and the "+ New" menu of the top bar."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from patron.entities import entities
from patron.plugins.services import tenant_hooks
from patron.rbac.access import can
from patron.web.fields import entity_spec
from patron.web.labels import label

#: Groups of the core's own entries. A module names its own group (its name, as people say
#: it: "Sales", "Service"); entries that name none are shown under :data:`MORE`.
CUSTOMERS = _l("Customers")
TOOLS = _l("Tools")
ADMINISTRATION = _l("Administration")
MORE = _l("More")


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main navigation; hidden from users lacking ``permission``.

    ``params`` are the URL values of ``endpoint`` (``(("entity", "account"),)`` for a record
    list page). ``group`` is the sidebar heading it is listed under (translated text), and
    ``icon`` the name of a Bootstrap Icons glyph (``"people"`` for ``bi-people``). Entries are
    sorted by ``order`` within their group, and groups by their first entry's ``order``.
    """

    label: str
    endpoint: str
    permission: str | None = None
    order: int = 100
    params: tuple[tuple[str, str], ...] = ()
    group: str = MORE
    icon: str = "dot"

    @property
    def url(self) -> str:
        """Where the entry leads."""
        return url_for(self.endpoint, **dict(self.params))


@dataclass(frozen=True)
class MenuGroup:
    """A heading of the sidebar and its entries, in order."""

    label: str
    items: tuple[MenuItem, ...]


def menu_items() -> list[MenuItem]:
    """The signed-in user's navigation, from the modules the tenant has enabled."""
    items = [
        item
        for batch in tenant_hooks().patron_provide_menu_items(user=current_user)
        for item in batch
        if item.permission is None or can(item.permission)
    ]
    return sorted(items, key=lambda item: (item.order, str(item.label)))


def menu_groups() -> list[MenuGroup]:
    """:func:`menu_items` by group, the groups in the order of their first entries."""
    groups: dict[str, list[MenuItem]] = {}
    for item in menu_items():
        groups.setdefault(str(item.group), []).append(item)
    return [MenuGroup(name, tuple(items)) for name, items in groups.items()]


@dataclass(frozen=True)
class NewRecordLink:
    """An entry of the "+ New" menu: a record type (its name, translated) the user may create
    on a page."""

    label: str
    url: str


def new_record_links() -> list[NewRecordLink]:
    """The record types the user may create through the generic record form, in the order
    of the entity registry (the core's first, then each enabled module's)."""
    links = []
    for entity in entities().values():
        spec = entity_spec(entity.name)
        if spec is not None and spec.writable and can(f"{spec.permission}.create"):
            links.append(NewRecordLink(label(entity.name),
                                       url_for("records.record_create", entity=entity.name)))
    return links

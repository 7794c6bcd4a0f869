"""``patron search reindex --tenant SLUG``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from patron.cli.tenant_commands import tenant_option, tenant_transaction
from patron.search.indexing import reindex_tenant


@click.group("search")
def search_group() -> None:
    """The global search index."""


@search_group.command("reindex")
@tenant_option
@with_appcontext
def reindex_command(slug: str) -> None:
    """Rebuild the tenant's search documents from its records (all or nothing)."""
    with tenant_transaction(slug):
        counts = reindex_tenant()
    summary = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    click.echo(f"indexed {sum(counts.values())} records of {slug} ({summary})")


def register(cli: click.Group) -> None:
    """Add the ``search`` group."""
    cli.add_command(search_group)

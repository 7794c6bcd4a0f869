"""Alembic environment: runs on the connection :func:`patron.db.migrations.upgrade` opens."""

from alembic import context

from patron.db.types import UTCDateTime

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `patron db upgrade`")


def render_item(type_, obj, autogen_context):
    """Autogenerate writes Patron's timestamp type as the SDK names it, so a plugin's new
    migration imports only ``patron.sdk`` (as its code must); other items as Alembic does."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("from patron.sdk import UTCDateTimeColumn")
        return "UTCDateTimeColumn(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=config.attributes["target_metadata"],
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()

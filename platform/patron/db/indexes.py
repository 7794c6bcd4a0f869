"""Indexes that exist on PostgreSQL only, for models of the core and of plugins.

SQLite (the embedded default, for small installations) gets none of them: it cannot reflect
expression indexes, so Alembic's batch migrations there would silently drop them when they
copy a table, and warn whenever they read one that references it. Create them in a
migration with the same names, on PostgreSQL only (see ``0010`` and ``0011`` of the core).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from alembic.autogenerate import comparators
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import CreateIndexOp, DropIndexOp, ModifyTableOps, UpgradeOps
from alembic.util import DispatchPriority, PriorityDispatchResult
from sqlalchemy import Index, func, text

#: Names of the indexes made here: absent from other databases on purpose.
POSTGRES_ONLY: set[str] = set()


def _postgres_only(index: Index) -> Index:
    POSTGRES_ONLY.add(index.name)
    return index.ddl_if(dialect="postgresql")


def folded_indexes(table: str, *columns: str) -> list[Index]:
    """``(tenant_id, lower(column))`` indexes for case-insensitive lookups (duplicates)."""
    return [_postgres_only(Index(f"ix_{table}_{column}_folded", "tenant_id",
                                 func.lower(text(column)))) for column in columns]


def custom_values_index(table: str) -> Index:
    """A GIN ``jsonb_path_ops`` index on ``(tenant_id, custom)``: it serves the equality
    filters on custom fields (``custom @> {"name": value}``; see
    :func:`patron.db.json_ops.json_contains_value`). ``tenant_id`` needs ``btree_gin``."""
    return _postgres_only(Index(f"ix_{table}_custom", "tenant_id", "custom",
                                postgresql_using="gin",
                                postgresql_ops={"custom": "jsonb_path_ops"}))


def create_custom_values_indexes(tables: Sequence[str]) -> None:
    """In a migration: create :func:`custom_values_index` of each of ``tables`` (PostgreSQL
    only; without ``btree_gin``, which the search migration creates where the role may, the
    index leaves ``tenant_id`` out)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    btree_gin = bind.exec_driver_sql(
        "SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'").scalar()
    lead = "tenant_id, " if btree_gin else ""
    for table in tables:
        bind.exec_driver_sql(f"CREATE INDEX ix_{table}_custom ON {table} "
                             f"USING gin ({lead}custom jsonb_path_ops)")


def drop_custom_values_indexes(tables: Sequence[str]) -> None:
    """In a migration: drop what :func:`create_custom_values_indexes` made."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.drop_index(f"ix_{table}_custom", table_name=table)


def _is_missing_on_purpose(operation, dialect: str) -> bool:
    return (dialect != "postgresql" and isinstance(operation, CreateIndexOp | DropIndexOp)
            and operation.index_name in POSTGRES_ONLY)


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def _leave_postgres_only_indexes_alone(autogen_context: AutogenContext,
                                       upgrade_ops: UpgradeOps,
                                       schemas: set[str | None]) -> PriorityDispatchResult:
    """Autogenerate comparator: on other databases, these indexes are not missing."""
    dialect = autogen_context.dialect.name
    kept = []
    for operation in upgrade_ops.ops:
        if isinstance(operation, ModifyTableOps):
            operation.ops = [o for o in operation.ops if not _is_missing_on_purpose(o, dialect)]
            if operation.is_empty():
                continue
        elif _is_missing_on_purpose(operation, dialect):
            continue
        kept.append(operation)
    upgrade_ops.ops = kept
    return PriorityDispatchResult.CONTINUE

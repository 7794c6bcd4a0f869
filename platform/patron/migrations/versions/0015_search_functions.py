"""global search on PostgreSQL: security-definer functions that match within the tenant

Under row-level security PostgreSQL lets an index serve a condition only when its operator is
LEAKPROOF, and neither ``@@`` nor ``ILIKE`` is: the application role's searches read every
document of the tenant (516 ms p95 at 1,000,000 contacts). Two functions, owned by the table
owner and run with its rights (SECURITY DEFINER), match inside the GIN indexes instead and
limit the match to the tenant named by the transaction's ``patron.tenant_id`` setting, as the
policy does: ``patron_search_matches(tsquery)`` (the documents matching the words, with
their ts_rank) and ``patron_search_titles(pattern)`` (those whose title matches an ILIKE
pattern). ``search_documents`` keeps its policy for everybody but its owner (``ENABLE``
without ``FORCE`` row level security: ``patron db upgrade`` applies that after the
migrations, see patron.db.postgres.apply_rls), so the functions are not themselves limited
by it; EXECUTE is revoked from PUBLIC here and granted to the application role only, also by
``patron db upgrade``. SQLite: nothing to do.

Revision ID: 0015_search_functions
Revises: 0014_fts_tenant_rowids
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_search_functions"
down_revision: str | Sequence[str] | None = "0014_fts_tenant_rowids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SAME_TENANT = "tenant_id = NULLIF(current_setting('patron.tenant_id', true), '')::uuid"
#: What a search reads of a matching document (patron.db.fulltext.MATCH_COLUMNS): the
#: functions return it whole, so the caller need not join back to the table (a join the
#: planner of a prepared statement's generic plan turned into reading the whole tenant).
DOCUMENT = ("id uuid, entity varchar, record_id uuid, title varchar, content text, "
            "owner_id uuid")
SELECTED = "id, entity, record_id, title, content, owner_id"
FUNCTIONS = {
    "patron_search_matches(tsquery)": f"""
        CREATE FUNCTION patron_search_matches(query tsquery)
        RETURNS TABLE ({DOCUMENT}, rank real)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 100
        AS $$ SELECT {SELECTED}, ts_rank(search_vector, query) FROM search_documents
              WHERE {SAME_TENANT} AND search_vector @@ query $$""",
    "patron_search_titles(text)": f"""
        CREATE FUNCTION patron_search_titles(pattern text)
        RETURNS TABLE ({DOCUMENT})
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp ROWS 100
        AS $$ SELECT {SELECTED} FROM search_documents
              WHERE {SAME_TENANT} AND title ILIKE pattern $$""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature, create in FUNCTIONS.items():
        op.execute(create)
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION {signature}")

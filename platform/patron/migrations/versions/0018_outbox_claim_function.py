"""the outbox worker's claim as a security-definer function the application role cannot widen

The worker's claim used to read every tenant's outbox through a policy that opened the table
when the transaction set ``patron.outbox_worker`` to ``on``, a setting any connection of the
application role could set, and then read every tenant's payloads. Now the claim is one
function owned by the table owner and run with its rights (SECURITY DEFINER):
``patron_outbox_claim(due, lease_until, batch)`` leases up to ``batch`` due messages across
tenants (``FOR UPDATE SKIP LOCKED``) and returns only their tenant and id; the worker then
reads each message in its tenant's context, under the tenant policy like any other read.
``outbox_messages`` keeps its policy for everybody but its owner (``ENABLE`` without
``FORCE``, applied by ``patron db upgrade``, see patron.db.postgres.apply_rls); EXECUTE is
revoked from PUBLIC here and granted to the application role only. SQLite: nothing to do.

Revision ID: 0018_outbox_claim_function
Revises: 0017_session_lifetimes
Create Date: 2026-12-07 17:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_outbox_claim_function"
down_revision: str | Sequence[str] | None = "0017_session_lifetimes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "patron_outbox_claim(timestamp with time zone, timestamp with time zone, integer)"
CREATE = """
    CREATE FUNCTION patron_outbox_claim(due timestamptz, lease_until timestamptz,
                                        batch integer)
    RETURNS TABLE (tenant_id uuid, id uuid)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ UPDATE outbox_messages AS claimed SET next_attempt_at = lease_until
          FROM (SELECT m.tenant_id, m.id FROM outbox_messages AS m
                WHERE m.status = 'pending' AND m.next_attempt_at <= due
                ORDER BY m.next_attempt_at LIMIT batch
                FOR UPDATE SKIP LOCKED) AS due_now
          WHERE claimed.tenant_id = due_now.tenant_id AND claimed.id = due_now.id
          RETURNING claimed.tenant_id, claimed.id $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CREATE)
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {SIGNATURE}")

"""The sales module's events besides its records' own (the event catalogue): what each means
and the keys of its payload."""

from __future__ import annotations

from marshmallow import fields

from patron.sdk import EventType, payload
from patron_sales.schemas.approvals import ApprovalSchema
from patron_sales.schemas.commerce import QuoteSchema
from patron_sales.schemas.deals import OpportunitySchema


def _people(**more: fields.Field) -> dict[str, fields.Field]:
    """The owner and their manager (who notification channels tell), and ``more``."""
    return {"owner_id": fields.UUID(allow_none=True),
            "manager_id": fields.UUID(allow_none=True), **more}


#: An account's move in or out of the customer pool.
POOL_MOVE = payload(id=fields.UUID(), name=fields.String(), reason=fields.String(),
                    detail=fields.String(allow_none=True))

EVENTS = [
    EventType("account.returned_to_pool", "An account went back to the customer pool "
              "(a rule, its owner or a manager put it there).", POOL_MOVE, changes=True,
              extra={"previous_owner_id": fields.UUID(),
                     "manager_id": fields.UUID(allow_none=True)}),
    EventType("account.claimed", "A rep took an account from the customer pool.", POOL_MOVE,
              changes=True, extra={"owner_id": fields.UUID()}),
    EventType("lead.converted", "A lead became an account, a contact and maybe a deal.",
              payload(id=fields.UUID(), account_id=fields.UUID(),
                      account_created=fields.Boolean(), contact_id=fields.UUID(),
                      contact_created=fields.Boolean(),
                      opportunity_id=fields.UUID(allow_none=True))),
    EventType("opportunity.stage_changed", "A deal moved to another stage.",
              payload(id=fields.UUID(), from_stage_id=fields.UUID(), to_stage_id=fields.UUID(),
                      pipeline_id=fields.UUID(), status=fields.String(),
                      owner_id=fields.UUID(allow_none=True)), changes=True),
    EventType("opportunity.won", "A deal was won.", OpportunitySchema),
    EventType("opportunity.lost", "A deal was lost.", OpportunitySchema),
    EventType("opportunity.stalled", "A deal stayed in its stage longer than the stage "
              "allows.", payload(id=fields.UUID(), name=fields.String(),
                                 stage_id=fields.UUID(), stage=fields.String(),
                                 stalled_after_days=fields.Integer(),
                                 stage_entered_at=fields.DateTime(), **_people())),
    *(EventType(f"quote.{status}", f"A quote was {status}.", QuoteSchema, changes=True)
      for status in ("sent", "accepted", "rejected", "expired")),
    EventType("contract.renewal_due", "A contract's renewal date is near.",
              payload(id=fields.UUID(), name=fields.String(), account_id=fields.UUID(),
                      renewal_date=fields.Date(), end_date=fields.Date(allow_none=True),
                      value=fields.Decimal(as_string=True), currency=fields.String(),
                      **_people())),
    EventType("contract.payment_overdue", "An instalment of a contract's payment plan is "
              "overdue.", payload(id=fields.UUID(), name=fields.String(),
                                  instalment_id=fields.UUID(), due_date=fields.Date(),
                                  amount=fields.Decimal(as_string=True),
                                  received=fields.Decimal(as_string=True),
                                  currency=fields.String(), **_people())),
    EventType("approval.requested", "A rep asked their manager to approve a quote or a "
              "contract.", ApprovalSchema),
    *(EventType(f"approval.{status}", f"A manager {status} a request.", ApprovalSchema,
                changes=True) for status in ("approved", "rejected")),
]

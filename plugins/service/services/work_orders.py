"""Work orders: created from a ticket or on their own, moved one status at a time (each
transition keeps its moment), with the parts used from the product catalogue.

Emits ``work_order.completed``; signing off the last open work order of a ticket resolves
the ticket. ``work_order.created|updated|deleted`` come from the core's record operations,
``work_order.scheduled`` from :mod:`patron_service.services.scheduling`.
"""

from __future__ import annotations

import uuid

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from patron.sdk import (
    Conflict,
    ValidationFailed,
    check_reference,
    db,
    emit,
    new_id,
    tenant_currency,
    utcnow,
)
from patron_service.models.field_work import (
    CANCELLED,
    COMPLETED,
    DISPATCHED,
    EN_ROUTE,
    NEW,
    ON_SITE,
    SCHEDULED,
    SIGNED_OFF,
    PartUsed,
    WorkOrder,
)
from patron_service.models.tickets import OPEN_STATUSES, RESOLVED, SKILL_REGION, Ticket
from patron_service.schemas.field_work import WorkOrderSchema
from patron_service.services import tickets
from patron_service.services.labels import status_label

#: One step at a time; scheduling (new → scheduled) goes through the schedule action.
STEPS = {
    NEW: (CANCELLED,),
    SCHEDULED: (DISPATCHED, CANCELLED),
    DISPATCHED: (EN_ROUTE, CANCELLED),
    EN_ROUTE: (ON_SITE, CANCELLED),
    ON_SITE: (COMPLETED, CANCELLED),
    COMPLETED: (SIGNED_OFF,),
}
#: Work orders that can no longer change at all.
FINAL = (SIGNED_OFF, CANCELLED)


def _ticket(ticket_id: uuid.UUID | None) -> Ticket | None:
    return None if ticket_id is None else check_reference("ticket_id", "ticket", ticket_id)


def create_work_order(data: dict) -> WorkOrder:
    """``POST work-orders``: new, unbooked; account (and site) from the ticket by default."""
    if data.pop("status", NEW) != NEW:
        raise ValidationFailed({"status": ["A work order starts as new; schedule it with "
                                           "POST work-orders/<id>/schedule."]})
    ticket = _ticket(data.get("ticket_id"))
    if ticket is not None and data.get("account_id") is None:
        data["account_id"] = ticket.account_id
    elif data.get("account_id") is not None:
        check_reference("account_id", "account", data["account_id"])
    data.setdefault("currency", tenant_currency())
    order = WorkOrder(id=new_id(), status=NEW, **data)
    db.session.add(order)
    db.session.flush()
    if ticket is not None:
        tickets.route(ticket, (SKILL_REGION,))  # what the work needs may find its agent now
    return order


def refuse_if_final(order: WorkOrder) -> None:
    """409 for a signed-off or cancelled work order: it no longer changes."""
    if order.status in FINAL:
        raise Conflict(_("The work order's status is %(status)s; it can no longer change.",
                         status=status_label(order.status)))


def _resolve_ticket_when_done(order: WorkOrder) -> None:
    if order.ticket_id is None:
        return
    ticket = db.session.execute(
        select(Ticket).where(Ticket.id == order.ticket_id)).scalar_one()
    if ticket.status in OPEN_STATUSES and not tickets.open_work_orders(ticket):
        tickets.move(ticket, RESOLVED, how="work_order")


def step(order: WorkOrder, status: str) -> None:
    """Move ``order`` to ``status``; 422 for a move the lifecycle does not allow."""
    if status == order.status:
        return
    if status == SCHEDULED:
        raise ValidationFailed({"status": [
            "Schedule a work order with POST work-orders/<id>/schedule."]})
    if status not in STEPS.get(order.status, ()):
        raise ValidationFailed({"status": [
            _("A work order cannot go from %(old)s to %(new)s.",
              old=status_label(order.status), new=status_label(status))]})
    if status == SIGNED_OFF and not order.signer_name:
        raise ValidationFailed({"signer_name": [_("Signing off needs the signer's name.")]})
    order.status = status
    setattr(order, f"{status}_at", utcnow())
    db.session.flush()
    if status == COMPLETED:
        emit("work_order.completed", WorkOrderSchema().dump(order))
    elif status == SIGNED_OFF:
        _resolve_ticket_when_done(order)


def update_work_order(order: WorkOrder, data: dict) -> None:
    """``PATCH work-orders/<id>``: fields, then a status step."""
    refuse_if_final(order)
    if "ticket_id" in data:
        _ticket(data["ticket_id"])
    if data.get("account_id") is not None:
        check_reference("account_id", "account", data["account_id"])
    status = data.pop("status", None)
    for key, value in data.items():
        setattr(order, key, value)
    if status is not None:
        step(order, status)
    db.session.flush()


def parts_of(order: WorkOrder) -> list[PartUsed]:
    """The parts used on ``order``, in the order they were recorded."""
    return list(db.session.execute(
        select(PartUsed).where(PartUsed.work_order_id == order.id)
        .order_by(PartUsed.created_at, PartUsed.id)
    ).scalars())


def add_part(order: WorkOrder, data: dict) -> PartUsed:
    """Record a catalogue product used on ``order`` (priced from the catalogue by default)."""
    refuse_if_final(order)
    product = check_reference("product_id", "product", data["product_id"])
    part = PartUsed(work_order_id=order.id, product_id=product.id, quantity=data["quantity"],
                    unit_price=data.get("unit_price", product.list_price),
                    currency=data.get("currency", product.currency))
    db.session.add(part)
    db.session.flush()
    return part


def remove_part(order: WorkOrder, part_id: uuid.UUID) -> None:
    """Take a recorded part off ``order``; 404 if it is not one of the order's."""
    refuse_if_final(order)
    part = db.session.execute(
        select(PartUsed).where(PartUsed.id == part_id, PartUsed.work_order_id == order.id)
    ).scalar_one_or_none()
    if part is None:
        abort(404)
    db.session.delete(part)
    db.session.flush()

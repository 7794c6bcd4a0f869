"""``/api/v1/service/…`` for field service: technicians (+ their time off), work orders
(+ ``schedule`` and the parts used)."""

from __future__ import annotations

import uuid
from typing import Any

from patron.sdk import PatronBlueprint, ResourceSpec, get_scoped_or_404, register_crud, require
from patron_service.models.field_work import Technician, WorkOrder
from patron_service.permissions import SCHEDULE_WORK_ORDERS, TECHNICIANS, WORK_ORDERS
from patron_service.schemas.field_work import (
    PartsSchema,
    PartUsedSchema,
    ScheduleSchema,
    TechnicianSchema,
    TimeOffListSchema,
    TimeOffSchema,
    WorkOrderSchema,
)
from patron_service.services import scheduling, work_orders
from patron_service.services.technicians import (
    TECHNICIAN_RULES,
    add_time_off,
    remove_time_off,
    time_off_of,
)

blp = PatronBlueprint("field_work", __name__)

TECHNICIANS_SPEC = ResourceSpec(
    name="technicians", model=Technician, schema=TechnicianSchema, permission=TECHNICIANS,
    event="technician", entity="technician", filterable=("user_id", "region"),
    searchable=("name", "region"), sortable=("name", "region", "created_at"),
    rules=TECHNICIAN_RULES,
)
WORK_ORDERS_SPEC = ResourceSpec(
    name="work-orders", model=WorkOrder, schema=WorkOrderSchema, permission=WORK_ORDERS,
    event="work_order", entity="work_order",
    filterable=("status", "type", "ticket_id", "account_id", "owner_id", "starts_at",
                "ends_at", "created_at", "completed_at", "signed_off_at"),
    searchable=("title", "site_address"),
    sortable=("created_at", "updated_at", "title", "status", "starts_at"),
    create=work_orders.create_work_order, update=work_orders.update_work_order,
)

for spec in (TECHNICIANS_SPEC, WORK_ORDERS_SPEC):
    register_crud(blp, spec)


def _technician(record_id: uuid.UUID, action: str) -> Technician:
    return _permitted(Technician, TECHNICIANS, record_id, action)


def _work_order(record_id: uuid.UUID, action: str) -> WorkOrder:
    return _permitted(WorkOrder, WORK_ORDERS, record_id, action)


def _permitted(model: type, permission: str, record_id: uuid.UUID, action: str) -> Any:
    """The record, for a user who may ``action`` it and has it in scope; else 403 or 404."""
    require(f"{permission}.{action}")
    return get_scoped_or_404(model, record_id, permission)


# ---- time off --------------------------------------------------------------------------------


@blp.route("/technicians/<uuid:record_id>/time-off", methods=["GET"])
@blp.response(200, TimeOffListSchema)
def time_off_list(record_id: uuid.UUID):
    """The technician's time off, earliest first"""
    return {"items": time_off_of(_technician(record_id, "read"))}


@blp.route("/technicians/<uuid:record_id>/time-off", methods=["POST"])
@blp.arguments(TimeOffSchema)
@blp.response(201, TimeOffSchema)
def time_off_add(data: dict, record_id: uuid.UUID):
    """Record time off (the technician cannot be booked then)"""
    return add_time_off(_technician(record_id, "update"), data)


@blp.route("/technicians/<uuid:record_id>/time-off/<uuid:time_off_id>", methods=["DELETE"])
@blp.response(204)
def time_off_remove(record_id: uuid.UUID, time_off_id: uuid.UUID):
    """Take back time off"""
    remove_time_off(_technician(record_id, "update"), time_off_id)


# ---- work orders -----------------------------------------------------------------------------


@blp.route("/work-orders/<uuid:record_id>/schedule", methods=["POST"])
@blp.arguments(ScheduleSchema)
@blp.response(200, WorkOrderSchema)
def schedule(data: dict, record_id: uuid.UUID):
    """Book technicians (conflicts: 422/409 unless override_reason)"""
    require(SCHEDULE_WORK_ORDERS)
    order = get_scoped_or_404(WorkOrder, record_id, WORK_ORDERS)
    return scheduling.schedule(order, data)


@blp.route("/work-orders/<uuid:record_id>/parts", methods=["GET"])
@blp.response(200, PartsSchema)
def parts_list(record_id: uuid.UUID):
    """The parts used on the work order"""
    return {"items": work_orders.parts_of(_work_order(record_id, "read"))}


@blp.route("/work-orders/<uuid:record_id>/parts", methods=["POST"])
@blp.arguments(PartUsedSchema)
@blp.response(201, PartUsedSchema)
def parts_add(data: dict, record_id: uuid.UUID):
    """Record a catalogue product used on the work order"""
    return work_orders.add_part(_work_order(record_id, "update"), data)


@blp.route("/work-orders/<uuid:record_id>/parts/<uuid:part_id>", methods=["DELETE"])
@blp.response(204)
def parts_remove(record_id: uuid.UUID, part_id: uuid.UUID):
    """Take a recorded part off the work order"""
    work_orders.remove_part(_work_order(record_id, "update"), part_id)

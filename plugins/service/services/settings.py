"""The tenant's service settings (one row per tenant, made with the defaults when first
read): the ticket workflow's rules."""

from __future__ import annotations

from patron.sdk import ResourceSpec, TenantSettings
from patron_service.models.tickets import ServiceSettings
from patron_service.permissions import QUEUES
from patron_service.schemas.tickets import ServiceSettingsSchema

SERVICE_SETTINGS = TenantSettings(ResourceSpec(
    name="settings", model=ServiceSettings, schema=ServiceSettingsSchema, permission=QUEUES,
    event="service_settings"))

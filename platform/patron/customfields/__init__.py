"""Custom fields: per-tenant, per-entity typed fields stored in each record's ``custom`` JSON."""

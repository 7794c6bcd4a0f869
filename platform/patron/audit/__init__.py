"""The audit log: who changed what, when, from which interface, with field-level before/after.

Recorded from the domain events (every create, update and delete of a registered resource, and
the permission-relevant actions that emit events: sign-in, tokens, module switches, role
changes), so nothing that changes data can bypass it.
"""

"""Roles, permissions, departments and record-level data scopes."""

"""The REST API of docs/API.md: HTTP only.

Blueprints (:mod:`patron.api.blueprint`: 422 for bad JSON), problem+json error handlers
(:mod:`patron.api.errors`), multipart uploads (:mod:`patron.api.uploads`) and
:func:`~patron.api.resources.register_crud`, which puts one resource's records
(:mod:`patron.records`) behind the conventions; one module per area mounts its routes. Importing
this package loads nothing else: import the module you need.
"""

"""Global search: one ranked query across the records of every entity a user may read.

:mod:`~patron.search.indexing` keeps a :class:`~patron.search.models.SearchDocument` per
record in step with the domain events; :mod:`~patron.search.query` answers
``GET /api/v1/search``; the SQL that differs per database is in :mod:`patron.db.fulltext`.
"""

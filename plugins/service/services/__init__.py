"""The module's operations and queries, shared by the API, the pages and the jobs: they
validate, change, flush and emit events, and never commit (one commit per request or job).
"""

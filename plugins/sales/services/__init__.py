"""The module's operations — validate, change, flush, emit; never commit (the request or the
job does) — and the reads behind its reports, pages and panels."""

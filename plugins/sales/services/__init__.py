"""The module's operations — validate, change, flush, emit; never commit (the request or the
job does) — and the reads several interfaces share (reports, the board, the account panel)."""

"""The module's tables (``sales_*``), one module per area; each lists its own in ``MODELS``."""

"""The module's pages, under ``/sales/``."""

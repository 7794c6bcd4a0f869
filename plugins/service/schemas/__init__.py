"""The module's API schemas (marshmallow), one module per area as in
:mod:`patron_service.models`."""

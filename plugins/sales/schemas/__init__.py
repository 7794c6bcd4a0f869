"""The module's marshmallow schemas: what the API loads and answers, and what events carry."""

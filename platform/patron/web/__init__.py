"""Server-rendered pages: Jinja + htmx + Bootstrap 5, vendored from npm, CSRF on every form."""

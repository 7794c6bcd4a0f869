"""Flask extensions, created unbound and bound in :func:`patron.app.create_app`.

flask-smorest's ``Api`` is the exception: it keeps the OpenAPI spec of one app, so each app
makes its own (:func:`patron.app.configure_blueprints`).
"""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from patron.db import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Storage is chosen in configure_limiter: memory by default, Redis when PATRON_REDIS_URL is set.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter", "login_manager"]

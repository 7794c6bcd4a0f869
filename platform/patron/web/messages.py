"""Messages from validation and the services that pages show, translated when known.

The schemas (marshmallow) and services speak English, like the API. Pages pass what they
show through :func:`translated`; the catalog can only carry a message listed somewhere the
extractor reads, so the ones users commonly meet are listed here.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

KNOWN = (
    _l("This field is required."),
    _l("This field cannot be empty."),
    _l("Unknown field."),
    _l("Unknown filter."),
    _l("Enter a whole number."),
    _l("Enter a number."),
    _l("Enter a date (YYYY-MM-DD)."),
    _l("Enter a date and time."),
    _l("Enter an e-mail address, such as name@example.com."),
    _l("Enter a web address, such as https://example.com."),
    _l("Not a valid UUID."),
    _l("Choose yes or no."),
    _l("Not a valid phone number."),
    _l("Enter a time (HH:MM)."),
    _l("Shorter than minimum length 1."),
    _l("This value is already used."),
    _l("No such user."),
    _l("No such role."),
    _l("No such department."),
    _l("Users change this themselves."),
    _l("This entity already has a field with this name."),
    _l("Use a lower-case letter, then letters, digits or _ (max 64)."),
    _l("A select field needs at least one option."),
    _l("Only select fields take options."),
    _l("Cannot be changed; create a new field instead."),
    _l("Uniqueness can only be chosen when creating."),
    _l("the role is still assigned to users"),
    _l("default roles cannot be deleted; edit them instead"),
    _l("the department has sub-departments"),
    _l("the department still has users"),
    _l("no such department"),
    _l("a department cannot move below itself"),
    _l("a user cannot report to someone below them"),
    _l("the admin role always holds every permission"),
    _l("a role with this key already exists"),
    _l("a role's key cannot change"),
    _l("must be at least 8 characters"),
    # bulk actions (patron.bulk.runner) and the record operations' refusals they report
    _l("The record is no longer in your data scope, or it was deleted, since it was "
       "selected."),
    _l("The job stopped on an unexpected error; the records it had changed stay changed. "
       "Ask your administrator to look at the server log."),
    _l("The user who started the job no longer exists or has been deactivated; the records "
       "not yet reached were left as they were."),
    _l("You may no longer apply this action to these records; nothing more was changed."),
    _l("The change conflicts with a record already there."),
    _l("The record was changed meanwhile; try again."),
    # the letterhead logo (patron.tenancy.letterhead)
    _l("Upload a PNG or JPEG image."),
    _l("The logo may be at most 512 KB."),
)


def translated(message: str) -> str:
    """``message`` in the user's language when the catalog has it, else as it is."""
    return gettext(str(message))

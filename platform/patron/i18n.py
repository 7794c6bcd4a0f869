"""The languages Patron speaks: every layer that stores or checks a locale uses these."""

#: Locales with a translation catalogue (``platform/patron/translations``).
LOCALES = ("en", "zh_Hans")
#: The language switch: each locale named in its own language.
LANGUAGES = (("en", "English"), ("zh_Hans", "简体中文"))

"""Package discovery for the layout fixed in docs/DESIGN.md.

``platform/`` is a source root that holds the core package ``patron`` (a
``platform/__init__.py`` would shadow the standard library's ``platform`` module), and every
``plugins/<name>/`` directory is the package ``patron_<name>``. Everything else lives in
pyproject.toml.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

ROOT = Path(__file__).parent
# Data directories (templates, static files, migrations, translations) are namespace packages
# to setuptools; finding them as such ships their files and avoids its "would be ignored" warning.
DATA = ["*.html", "*.js", "*.css", "*.woff", "*.woff2", "*.mako", "*.po", "*.mo", "*.toml",
        "LICENSE*", "PACKAGES"]

def _packages(where: str, prefix: str = "") -> list[str]:
    found = find_namespace_packages(where, exclude=["*__pycache__*"])
    return [f"{prefix}{name}" for name in found]

package_dir = {"": "platform"}
packages = _packages("platform")
package_data = {"": DATA}
PLUGINS = ROOT / "plugins"
for plugin in sorted(p for p in PLUGINS.glob("*") if (p / "__init__.py").exists()):
    name = f"patron_{plugin.name}"
    package_dir[name] = f"plugins/{plugin.name}"
    packages.append(name)
    packages += _packages(str(plugin), f"{name}.")

setup(package_dir=package_dir, packages=packages, package_data=package_data)

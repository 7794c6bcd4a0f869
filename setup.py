"""Package discovery for the layout fixed in ../shared/DESIGN.md.

``platform/`` is a source root that holds the core package ``patron`` (a
``platform/__init__.py`` would shadow the standard library's ``platform`` module), and every
``plugins/<name>/`` directory is the package ``patron_<name>``. Everything else lives in
pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup

ROOT = Path(__file__).parent
DATA = ["templates/**/*", "static/**/*", "migrations/**/*", "translations/**/*", "*.toml"]

package_dir = {"": "platform"}
packages = find_packages("platform")
package_data = {"patron": DATA}
for plugin in sorted(p for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists()):
    name = f"patron_{plugin.name}"
    package_dir[name] = f"plugins/{plugin.name}"
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(str(plugin))]
    package_data[name] = DATA

setup(package_dir=package_dir, packages=packages, package_data=package_data)

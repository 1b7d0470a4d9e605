"""The install's build hook: compile the committed gettext catalogs (``resources/locale``) into
the package (``refund_desk/locale/<lang>/LC_MESSAGES/<domain>.mo``) while building, so a wheel or
an installed desk carries its Chinese words without the ``.po`` sources (docs/I18N.md). All other
metadata is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithCatalogs(build_py):
    """``build_py`` plus the ``.mo`` files (Babel, a build requirement in pyproject.toml)."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted((ROOT / "resources" / "locale").glob("*/LC_MESSAGES/*.po")):
            rel = po.relative_to(ROOT / "resources" / "locale").with_suffix(".mo")
            target = Path(self.build_lib) / "refund_desk" / "locale" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(po, "rb") as fh:
                catalog = read_po(fh)
            with open(target, "wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogs})

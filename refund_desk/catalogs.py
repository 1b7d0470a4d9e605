"""The catalog tools: extract the strings of the code into ``.pot``, update the ``.po`` from
it, compile ``.mo``, check a catalog (docs/I18N.md).

    python -m refund_desk.catalogs extract   # write resources/locale/<domain>.pot
    python -m refund_desk.catalogs update    # merge the .pot into every <lang>/LC_MESSAGES/*.po
    python -m refund_desk.catalogs compile [OUT_DIR]  # .mo into OUT_DIR (default: the package)
    python -m refund_desk.catalogs check     # exit 1 on untranslated/fuzzy/obsolete/placeholders

Which files feed which domain is :data:`DOMAIN_SOURCES` (training's words are their own domain,
so the two catalogs are translated and merged independently). The ``.pot`` carries file names
but no line numbers: moving code does not change it.
"""

from __future__ import annotations

import fnmatch
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from . import wording

ROOT = Path(__file__).resolve().parent.parent

#: domain → (globs of source files relative to the repository root, globs left out). The policy
#: core's only words are the rule catalogue's templates (``policy/rules.py``, marked ``N_``).
DOMAIN_SOURCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    wording.DEFAULT_DOMAIN: (
        ("refund_desk/*.py", "refund_desk/*/*.py"),
        (
            "refund_desk/training/*",
            "refund_desk/ui/training/*",
            "refund_desk/catalogs.py",
            "refund_desk/wording.py",
            "refund_desk/store/migrations/*",
        ),
    ),
    wording.TRAINING_DOMAIN: (
        ("refund_desk/training/*.py", "refund_desk/ui/training/*.py"),
        (),
    ),
}

#: gettext keywords (function or method names) and the arguments that are messages.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}

HEADER = "Refund Desk"
_HEADER_COMMENT = (
    "# Refund Desk, domain {domain}: {what}.\n"
    "# Made by `python -m refund_desk.catalogs extract` / `update`; see docs/I18N.md."
)


def source_files(domain: str, root: Path = ROOT) -> list[Path]:
    """The Python files whose strings belong to ``domain``, sorted."""
    include, exclude = DOMAIN_SOURCES[domain]
    found: set[Path] = set()
    for pattern in include:
        for path in root.glob(pattern):
            rel = path.relative_to(root).as_posix()
            if not any(fnmatch.fnmatch(rel, ex) for ex in exclude):
                found.add(path)
    return sorted(found)


def extract(domain: str, root: Path = ROOT):
    """Extract ``domain``'s messages from the code into a fresh Babel ``Catalog``."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    catalog = Catalog(
        project=HEADER,
        version="1",
        domain=domain,
        charset="utf-8",
        fuzzy=False,
        header_comment=_HEADER_COMMENT.format(domain=domain, what="the English source strings"),
        copyright_holder="Refund Desk",
        msgid_bugs_address="-",
    )
    for path in source_files(domain, root):
        rel = path.relative_to(root).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "python",
            str(path),
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            catalog.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog, path: Path, **kwargs) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        include_lineno=False,
        omit_header=False,
        sort_output=True,
        **kwargs,
    )
    text = buffer.getvalue().decode("utf-8")
    # The creation date changes on every run; keep the file stable unless messages changed.
    text = "\n".join(line for line in text.split("\n") if not line.startswith('"POT-Creation-Date'))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def template_text(domain: str, root: Path = ROOT) -> str:
    """The ``.pot`` that :func:`extract` would write for ``domain`` today."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "x.pot"
        _write(extract(domain, root), out)
        return out.read_text(encoding="utf-8")


def write_template(domain: str) -> Path:
    """Write ``resources/locale/<domain>.pot`` from the code. Returns its path."""
    path = wording.template_catalog(domain)
    _write(extract(domain), path)
    return path


def update(domain: str, lang: str) -> Path:
    """Merge the ``.pot`` into ``<lang>/LC_MESSAGES/<domain>.po`` (new messages untranslated,
    changed ones fuzzy, gone ones obsolete — then ``check`` says what is left to do)."""
    from babel.messages.pofile import read_po

    pot = wording.template_catalog(domain)
    po = wording.source_catalog(lang, domain)
    with open(pot, "rb") as fh:
        template = read_po(fh)
    if po.is_file():
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang)
    else:
        from babel.messages.catalog import Catalog

        catalog = Catalog(
            locale=lang,
            domain=domain,
            project=HEADER,
            version="1",
            header_comment=_HEADER_COMMENT.format(domain=domain, what=f"the {lang} words"),
            copyright_holder="Refund Desk",
            msgid_bugs_address="-",
        )
        catalog.fuzzy = False
        catalog.last_translator = "Refund Desk"
        catalog.language_team = "Refund Desk"
    catalog.update(template, update_header_comment=False, update_creation_date=False)
    _write(catalog, po, ignore_obsolete=False)
    return po


def compile_all(out_dir: Path | None = None) -> list[Path]:
    """Compile every committed ``.po`` into ``<out_dir>/<lang>/LC_MESSAGES/<domain>.mo``
    (default: the package's ``locale`` folder, where :mod:`refund_desk.wording` looks first).
    Returns the files written."""
    base = wording.resources_dir() / "locale"
    written = []
    for po in sorted(base.glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        target_dir = out_dir or wording.built_catalog(lang).parent.parent.parent
        mo = target_dir / lang / "LC_MESSAGES" / f"{po.stem}.mo"
        wording.compile_catalog(po, mo)
        written.append(mo)
    return written


def problems(po_path: Path) -> Iterator[str]:
    """What keeps the catalog at ``po_path`` from being complete: untranslated, fuzzy and
    obsolete messages, and translations whose ``{placeholders}`` differ from the source's.
    Yields one line per problem, naming the message."""
    from babel.messages.pofile import read_po

    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    for message in catalog.obsolete.values():
        yield f"{po_path.name}: obsolete: {message.id!r}"
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            yield f"{po_path.name}: fuzzy: {ids[0]!r}"
        if not all(strings):
            yield f"{po_path.name}: untranslated: {ids[0]!r}"
            continue
        wanted = set().union(*(wording.placeholders(i) for i in ids))
        for s in strings:
            got = wording.placeholders(s)
            if got != wanted:
                yield (
                    f"{po_path.name}: placeholders {sorted(got)} instead of {sorted(wanted)}: "
                    f"{ids[0]!r}"
                )


def main(argv: list[str] | None = None) -> int:
    """``python -m refund_desk.catalogs extract|update|compile [OUT]|check``; exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    action = argv[0] if argv else "check"
    if action == "extract":
        for domain in DOMAIN_SOURCES:
            print(write_template(domain))
    elif action == "update":
        for domain in DOMAIN_SOURCES:
            for lang in wording.LANGUAGES:
                if lang != wording.EN and wording.template_catalog(domain).is_file():
                    print(update(domain, lang))
    elif action == "compile":
        for path in compile_all(Path(argv[1]) if len(argv) > 1 else None):
            print(path)
    elif action == "check":
        bad = [
            p
            for po in sorted((wording.resources_dir() / "locale").glob("*/LC_MESSAGES/*.po"))
            for p in problems(po)
        ]
        print("\n".join(bad) or "catalogs complete")
        return 1 if bad else 0
    else:
        print(f"unknown action {action!r}: extract, update, compile or check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

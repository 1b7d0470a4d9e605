"""The wording mechanism (issue 13, docs/I18N.md): catalogs complete and in step with the code,
placeholders kept, compiled on demand, zh_CN/en formatting."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from refund_desk import catalogs, wording

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"


@pytest.mark.parametrize("domain", catalogs.DOMAIN_SOURCES)
def test_template_is_up_to_date_with_the_code(domain):
    committed = (LOCALE / f"{domain}.pot").read_text(encoding="utf-8")
    assert committed == catalogs.template_text(domain), (
        f"resources/locale/{domain}.pot is out of date: run `python -m refund_desk.catalogs "
        "extract` then `update`, and translate (docs/I18N.md)"
    )


@pytest.mark.parametrize("domain", catalogs.DOMAIN_SOURCES)
def test_zh_cn_catalog_has_every_message_of_the_template(domain):
    from babel.messages.pofile import read_po

    with open(LOCALE / f"{domain}.pot", "rb") as fh:
        template = {(m.context, m.id) for m in read_po(fh) if m.id}
    with open(wording.source_catalog("zh_CN", domain), "rb") as fh:
        catalog = {(m.context, m.id) for m in read_po(fh) if m.id}
    assert template - catalog == set(), "messages missing from the zh_CN catalog: run update"
    assert catalog - template == set(), "messages in zh_CN that the code no longer has"


@pytest.mark.parametrize("domain", catalogs.DOMAIN_SOURCES)
def test_zh_cn_catalog_is_complete_and_keeps_placeholders(domain):
    assert list(catalogs.problems(wording.source_catalog("zh_CN", domain))) == []


def _po(tmp_path, body: str) -> Path:
    path = tmp_path / "t.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n' + body,
        encoding="utf-8",
    )
    return path


def test_the_check_names_each_kind_of_problem(tmp_path):
    po = _po(
        tmp_path,
        'msgid "Order {order_id}"\nmsgstr "订单 {order}"\n\n'
        'msgid "Case"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Cash"\nmsgstr "现金"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "没了"\n\n'
        'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n}天"\n',
    )
    found = list(catalogs.problems(po))
    assert any("placeholders ['order'] instead of ['order_id']" in p for p in found)
    assert any(p.endswith("untranslated: 'Case'") for p in found)
    assert any(p.endswith("fuzzy: 'Cash'") for p in found)
    assert any(p.endswith("obsolete: 'Gone'") for p in found)
    assert len(found) == 4  # the plural keeps {n}


def test_rule_ids_are_never_translated():
    """A rule id in a source string stays as it is in the translation."""
    import re

    from babel.messages.pofile import read_po

    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        with open(po, "rb") as fh:
            for m in read_po(fh):
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                rule_ids = set(re.findall(r"\b[A-Z]+(?:-[A-Z0-9]+)+\b", " ".join(ids)))
                for s in strings:
                    for rule_id in rule_ids:
                        assert rule_id in s, (po.name, m.id)


def test_translator_of_another_language_than_the_interface():
    wording.set_language("en")
    zh = wording.translator("zh_CN")
    assert zh.gettext("open the demo database") == "打开演示数据库"
    assert wording.gettext("open the demo database") == "open the demo database"
    wording.set_language("zh_CN")
    assert wording._("open the demo database") == "打开演示数据库"
    assert wording.translator("en").gettext("open the demo database") == "open the demo database"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        wording.set_language("fr")


def test_language_names_from_locales_and_environment():
    assert wording.normalise_language("zh_CN.UTF-8") == "zh_CN"
    assert wording.normalise_language("zh-Hans-CN") == "zh_CN"
    assert wording.normalise_language("en_GB") == "en"
    assert wording.normalise_language("C") == "en"
    assert wording.language_from_environment({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert wording.language_from_environment({"LANGUAGE": "en:zh", "LANG": "zh_CN"}) == "en"
    assert wording.language_from_environment({}) == "en"


def test_a_checkout_compiles_its_catalog_on_demand_into_the_cache(tmp_path, monkeypatch):
    """No built .mo in a source checkout: the .po is compiled into the cache, and again when the
    .po is newer than the cached .mo."""
    monkeypatch.setattr(wording, "built_catalog", lambda lang, domain="x": tmp_path / "no.mo")
    wording.reload_catalogs()
    try:
        assert wording.translator("zh_CN").gettext("open the demo database") == "打开演示数据库"
        cached = (
            Path(os.environ["REFUND_DESK_HOME"])
            / "cache"
            / "locale"
            / "zh_CN"
            / "LC_MESSAGES"
            / "refund_desk.mo"
        )
        assert cached.is_file()
        po = wording.source_catalog("zh_CN")
        old = po.stat().st_mtime - 60
        os.utime(cached, (old, old))
        wording.reload_catalogs()
        wording.translator("zh_CN")
        assert cached.stat().st_mtime >= po.stat().st_mtime
    finally:
        wording.reload_catalogs()


def test_the_build_hook_puts_the_compiled_catalogs_into_the_build(tmp_path):
    """setup.py's build_py (what ``pip install`` and ``pip wheel`` run) writes
    refund_desk/locale/<lang>/LC_MESSAGES/<domain>.mo, and they translate."""
    import gettext

    result = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path / "lib")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    mo = tmp_path / "lib" / "refund_desk" / "locale" / "zh_CN" / "LC_MESSAGES" / "refund_desk.mo"
    with open(mo, "rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("open the demo database") == "打开演示数据库"
    assert not list((tmp_path / "lib").rglob("*.po"))


def test_money_dates_and_china_time_in_both_languages():
    assert wording.format_money(Decimal("1985.6"), "zh_CN") == "¥1,985.60"
    assert wording.format_money(Decimal("1985.6"), "en") == "CNY 1,985.60"
    assert wording.format_date(date(2024, 3, 9), "zh_CN") == "2024年3月9日"
    assert wording.format_date(date(2024, 3, 9), "en") == "2024-03-09"
    utc = datetime(2024, 3, 9, 2, 5, tzinfo=UTC)
    assert wording.format_china_time(utc, "zh_CN") == "2024年3月9日 10:05 北京时间"
    assert wording.format_china_time(utc, "en") == "2024-03-09 10:05 China time"
    late = datetime(2024, 3, 9, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert wording.format_china_time(late, "zh_CN", label=False) == "2024年3月10日 12:30"
    with pytest.raises(ValueError, match="aware"):
        wording.format_china_time(datetime(2024, 3, 9), "en")


def test_cli_follows_lang_and_the_lang_option(capsys, monkeypatch):
    from refund_desk.cli import main

    with pytest.raises(SystemExit):
        main(["--lang", "zh_CN", "--help"])
    assert "打开演示数据库" in capsys.readouterr().out
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["quote", "x", "--discount", "bad"]) == 2
    assert "--discount 的格式应为 订单号=折扣系数，收到的是 'bad'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang=en", "--help"])
    assert "open the demo database" in capsys.readouterr().out

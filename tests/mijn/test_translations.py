"""Every portal message exists in every portal language (#15 item 2): no silent Dutch or English fallback.

The check extracts the portal's messages afresh with Django's own ``makemessages`` (xgettext over the app's Python
code and templates), then asks GNU gettext's ``msgcmp`` whether each language's ``.po`` translates every one of
them (untranslated and fuzzy entries count as missing), and whether the compiled ``.mo`` the server reads holds
exactly what the ``.po`` says (a forgotten ``compilemessages`` fails too)."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from openinburgering.mijn.languages import LANGUAGE_CODES

APP = Path(__file__).resolve().parents[2] / "src" / "openinburgering" / "mijn"
LOCALE = APP / "locale"

# A translation in the language's own script (a copied Dutch or English text would be Latin): at least one
# letter of the script in every msgstr, except for texts that are only names or codes.
SCRIPTS = {"ar": "\u0600-\u06ff", "fa": "\u0600-\u06ff", "ti": "\u1200-\u137f", "uk": "\u0400-\u04ff"}
NAMES_ONLY = re.compile(r"^[\s\W\d]*(DigiD|PDF|JPG|PNG|MAP|PVT|B1|%\(\w+\)s|\{\{ ?\w+ ?\}\}|[\s\W\d])*$")


@pytest.fixture(scope="module")
def template_pot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh .pot of the portal's messages, extracted from a copy of the app (so the repository is untouched)."""
    root = tmp_path_factory.mktemp("mijn-messages")
    # The copy sits in a subfolder: modules like selectors.py must not shadow the standard library's.
    shutil.copytree(APP, root / "app", ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (root / "locale").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        call_command("makemessages", locale=["nl"], keep_pot=True, no_location=True, verbosity=0)
    pot = root / "locale" / "django.pot"
    assert pot.read_text().count("msgid ") > 150, "the extraction found (almost) no portal messages"
    return pot


def test_the_portal_offers_seven_languages_each_with_a_catalogue():
    assert {"nl", "en", "ar", "ti", "uk", "tr", "fa"} == LANGUAGE_CODES
    for code in LANGUAGE_CODES:
        assert (LOCALE / code / "LC_MESSAGES" / "django.po").is_file(), code
        assert (LOCALE / code / "LC_MESSAGES" / "django.mo").is_file(), code


@pytest.mark.parametrize("code", sorted(LANGUAGE_CODES))
def test_every_portal_message_is_translated(code: str, template_pot: Path):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgcmp", str(po), str(template_pot)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{code}: portal messages without a translation:\n{result.stderr[:3000]}"


@pytest.mark.parametrize("code", sorted(LANGUAGE_CODES))
def test_the_compiled_catalogue_is_the_po_file(code: str, tmp_path: Path):
    folder = LOCALE / code / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(folder / "django.po")], check=True)
    with fresh.open("rb") as expected, (folder / "django.mo").open("rb") as shipped:
        want = gettext.GNUTranslations(expected)._catalog
        have = gettext.GNUTranslations(shipped)._catalog
    assert have == want, f"{code}: django.mo is not compiled from django.po (run compilemessages, docs/portal.md)"


@pytest.mark.parametrize("code", sorted(SCRIPTS))
def test_translations_are_written_in_the_language_s_script(code: str, tmp_path: Path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(LOCALE / code / "LC_MESSAGES" / "django.po")], check=True)
    with fresh.open("rb") as handle:
        catalog: dict[object, str] = gettext.GNUTranslations(handle)._catalog
    letter = re.compile(f"[{SCRIPTS[code]}]")
    latin_only = [
        text for key, text in catalog.items() if key != "" and not letter.search(text) and not NAMES_ONLY.match(text)
    ]
    assert latin_only == [], f"{code}: texts not in the language's script (copied Dutch or English?): {latin_only}"


def test_every_po_file_is_marked_for_native_review():
    for code in LANGUAGE_CODES:
        if code == "nl":
            continue
        header = (LOCALE / code / "LC_MESSAGES" / "django.po").read_text().split("msgid", 1)[0]
        assert "native speaker" in header, code


def test_a_missing_translation_fails_the_check(template_pot: Path, tmp_path: Path):
    """The check can fail: drop one translation from a copy of the Arabic file and msgcmp reports it."""
    broken = tmp_path / "django.po"
    text = (LOCALE / "ar" / "LC_MESSAGES" / "django.po").read_text()
    broken.write_text(re.sub(r'(msgid "Uw bericht"\nmsgstr )"[^"]*"', r'\1""', text, count=1))
    assert broken.read_text() != text
    result = subprocess.run(["msgcmp", str(broken), str(template_pot)], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "this message is untranslated" in result.stderr


def test_a_new_message_without_translations_fails_the_check(template_pot: Path, tmp_path: Path):
    """A text added to a template but not to the .po files: msgcmp finds it missing in every language."""
    pot = tmp_path / "django.pot"
    pot.write_text(template_pot.read_text() + '\nmsgid "Een nieuwe zin die nog niemand vertaalde"\nmsgstr ""\n')
    po = LOCALE / "tr" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgcmp", str(po), str(pot)], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "this message is used but not defined" in result.stderr

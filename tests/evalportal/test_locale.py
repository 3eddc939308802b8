"""The Dutch catalog is complete and the committed .mo files match the .po files."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po"))


def test_every_app_has_dutch_and_english_catalogs():
    apps = {p.parts[-5] for p in CATALOGS}
    assert {"accounts", "placements", "surveys", "nps", "reporting", "evalportal"} <= apps


@pytest.mark.parametrize("path", [p for p in CATALOGS if "/nl/" in str(p)], ids=lambda p: p.parts[-5])
def test_the_dutch_catalog_is_complete(path):
    po = polib.pofile(str(path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: "/".join(p.parts[-5:-2]))
def test_the_compiled_catalog_matches_its_source(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    translated = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo if e.msgid}
    assert compiled == translated


def _words(text: str) -> set[str]:
    return set(text.lower().replace(",", " ").replace(".", " ").replace("?", " ").split())


def test_dutch_client_texts_use_the_formal_u():
    """Every text says "u", except the candidate's texts in the informal tone an organisation may choose."""
    for path in [p for p in CATALOGS if "/nl/" in str(p)]:
        for entry in polib.pofile(str(path)):
            if entry.msgctxt == "candidate, informal":
                continue
            assert not _words(entry.msgstr) & {"je", "jij", "jouw", "jou"}, entry.msgstr


def test_each_candidate_text_exists_in_both_tones_and_the_formal_one_says_u():
    for path in [p for p in CATALOGS if "/nl/" in str(p)]:
        entries = polib.pofile(str(path))
        informal = {e.msgid: e.msgstr for e in entries if e.msgctxt == "candidate, informal"}
        formal = {e.msgid: e.msgstr for e in entries if e.msgctxt == "candidate, formal"}
        assert set(informal) == set(formal), path
        for msgid, text in informal.items():
            if _words(text) & {"je", "jij", "jouw", "jou"}:
                assert _words(formal[msgid]) & {"u", "uw"}, formal[msgid]

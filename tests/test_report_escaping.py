"""report/escaping.py over every code point that matters: what it returns is safe for its medium."""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ElementTree

from kafkalint.report.escaping import json_safe, visible, without_surrogates, xml_safe

# Every code point a rule could trip on: all below U+3000 (controls, C1, bidi, separators),
# the surrogates, the non-characters U+FFFE/U+FFFF, and the last code point.
EVERY_CODE_POINT = "".join(map(chr, [*range(0x3000), *range(0xD800, 0xE000), 0xFEFF, 0xFFFE, 0xFFFF, 0x10FFFF]))
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_visible_text_has_no_control_surrogate_or_bidi_character_and_encodes():
    shown = visible(EVERY_CODE_POINT)
    shown.encode("utf-8")
    assert not [char for char in set(shown) if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS]


def test_visible_escapes_are_readable_and_keep_what_is_asked():
    assert visible("a\nb\tc\x1b[0m\x7f\x9b\ud800\udcff\u202e") == "a\\nb\\tc\\x1b[0m\\x7f\\x9b\\ud800\\xff\\u202e"
    assert visible("a\tb\nc", keep="\t") == "a\tb\\nc"


def test_xml_safe_text_parses_as_xml_in_text_and_attributes():
    safe = xml_safe(EVERY_CODE_POINT)
    element = ElementTree.Element("failure", message=safe)
    element.text = safe
    parsed = ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode").encode("utf-8"))
    assert parsed.text.replace("\r\n", "\n").replace("\r", "\n") == safe.replace("\r\n", "\n").replace("\r", "\n")


def test_json_safe_documents_encode_as_utf8_json():
    document = {"path\udcff": ["\ud800", {"x": EVERY_CODE_POINT}], "n": 1}
    text = json.dumps(json_safe(document), ensure_ascii=False)
    text.encode("utf-8")
    assert json.loads(text)["path\\xff"][0] == "\\ud800"
    assert without_surrogates("ok") == "ok"

"""Chinese encodings: from the HTTP header, the meta tag, or detection."""

from __future__ import annotations

import opencc

from kanwu.importer.decode import decode_html

TEXT = "朱镕基总理强调，要坚持统一战线工作，喆、堃、犇等字也要正确显示。" * 20
TRADITIONAL = opencc.OpenCC("s2t").convert("统一战线的历史与今天，台湾同胞共同发展。" * 20)


def page(charset_meta: str, text: str) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_gbk_page_labelled_gb2312_in_the_header_decodes_gbk_only_characters() -> None:
    raw = page("", TEXT).encode("gbk")  # 镕 and 喆 are not in GB2312
    decoded = decode_html(raw, "gb2312")
    assert TEXT in decoded.text
    assert decoded.how == "header"
    assert decoded.encoding == "gb18030"


def test_meta_tag_is_used_when_the_header_has_no_charset() -> None:
    raw = page("GBK", TEXT).encode("gbk")
    decoded = decode_html(raw, "")
    assert TEXT in decoded.text and decoded.how == "meta"


def test_gb18030_page_with_characters_outside_gbk() -> None:
    text = TEXT + "𠀀𪚥"  # CJK extension characters only GB18030 encodes
    decoded = decode_html(page("gb18030", text).encode("gb18030"))
    assert text in decoded.text


def test_latin1_server_default_loses_to_the_meta_tag() -> None:
    decoded = decode_html(page("gbk", TEXT).encode("gbk"), "iso-8859-1")
    assert TEXT in decoded.text and decoded.how == "meta"


def test_undeclared_gbk_is_detected() -> None:
    decoded = decode_html(page("", TEXT).encode("gbk"))
    assert TEXT in decoded.text and decoded.how == "detected"


def test_undeclared_utf8_is_detected() -> None:
    decoded = decode_html(page("", TEXT).encode("utf-8"))
    assert TEXT in decoded.text and decoded.encoding == "utf-8"


def test_big5_page_kept_traditional_or_converted_to_simplified() -> None:
    raw = page("big5", TRADITIONAL).encode("big5")
    kept = decode_html(raw)
    assert TRADITIONAL in kept.text and not kept.traditional_converted
    converted = decode_html(raw, big5_to_simplified=True)
    assert "统一战线的历史与今天，台湾同胞共同发展。" in converted.text
    assert converted.traditional_converted


def test_a_wrong_header_falls_back_instead_of_garbling() -> None:
    decoded = decode_html(page("gbk", TEXT).encode("gbk"), "utf-8")
    assert TEXT in decoded.text

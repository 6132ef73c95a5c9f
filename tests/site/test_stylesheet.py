"""The reader stylesheet meets WCAG AA: text contrast of at least 4.5:1, links in running text
told apart by more than colour."""

from __future__ import annotations

import re
from pathlib import Path

import kanwu

CSS = (Path(kanwu.__file__).parent / "site" / "static" / "kanwu" / "site.css").read_text()


def luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def variable(name: str) -> str:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{3,6}})", CSS)
    assert found, name
    return found.group(1)


def test_muted_and_body_text_have_aa_contrast_on_every_background() -> None:
    for text in ("muted", "ink"):
        for background in ("#ffffff", variable("bg")):
            assert contrast(variable(text), background) >= 4.5, (text, background)


def test_breadcrumb_links_are_underlined() -> None:
    rule = re.search(r"\.breadcrumb a\s*\{([^}]*)\}", CSS)
    assert rule and "underline" in rule.group(1)

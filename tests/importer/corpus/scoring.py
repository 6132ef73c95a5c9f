"""Scoring an extraction against a corpus page's sidecar (shared by the tests and the bench)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Fixture:
    family: str
    name: str
    path: Path
    expected: dict[str, Any]

    @property
    def content(self) -> bytes:
        return self.path.read_bytes()


def fixtures() -> list[Fixture]:
    """Every page of the corpus with its sidecar, family by family."""
    found: list[Fixture] = []
    for sidecar in sorted(CORPUS.glob("*/*.json")):
        page = sidecar.with_suffix(".html")
        expected = json.loads(sidecar.read_text(encoding="utf-8"))
        found.append(Fixture(sidecar.parent.name, sidecar.stem, page, expected))
    return found


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def recall(paragraphs: list[str], body_text: str) -> float:
    """Share of the expected article's characters found, in order, in the extracted body."""
    expected = squash("".join(paragraphs))
    if not expected:
        return 1.0
    matcher = SequenceMatcher(None, expected, squash(body_text), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def leaked(paragraphs: list[str], boilerplate: list[str], body_text: str) -> list[str]:
    """Lines of the extracted body that are not the article: any body line that is no part of
    the expected text, and any known boilerplate line of the page found in the body."""
    expected = squash("".join(paragraphs))
    body = squash(body_text)
    found = [
        line.strip()
        for line in body_text.splitlines()
        if squash(line) and squash(line) not in expected
    ]
    for line in boilerplate:
        wanted = squash(line)
        if wanted and wanted in body and wanted not in expected and line not in found:
            found.append(line)
    return found

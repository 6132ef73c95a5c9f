"""Chinese CMS pages (tests/importer/corpus): headline, date and time, 来源, 作者 and a body
without the site's lines, for every page of every family.

Every page goes through the extraction function; one page of each family also goes the whole
way a repost goes: served by a real HTTP server on 127.0.0.1 with its own Content-Type, fetched,
decoded, extracted and stored as a draft.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from django.utils.timezone import localtime

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.importer.decode import decode_html
from kanwu.importer.extract import extract_article
from kanwu.importer.richtext import plain_text
from kanwu.importer.services import Status, article_import_from_url
from tests.importer.conftest import jpeg_bytes
from tests.importer.corpus import generate
from tests.importer.corpus.scoring import Fixture, fixtures, leaked, recall
from tests.importer.server import LocalServer, Response

CORPUS = fixtures()
MIN_RECALL = 0.99
FAMILIES = ("dedecms", "phpcms", "empirecms", "pbootcms", "wordpress", "gov")
_IMAGE = re.compile(rb"""src=["'](/[^"']+\.(?:jpg|png|gif))["']""")


def header_charset(fixture: Fixture) -> str:
    content_type = fixture.expected["content_type"]
    return content_type.split("charset=", 1)[1] if "charset=" in content_type else ""


def wall_time(value: datetime | None) -> str:
    """A publish time as the page's readers saw it (Beijing time)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = localtime(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def test_corpus_has_every_family_and_matches_its_generator(tmp_path: Path) -> None:
    families = Counter(fixture.family for fixture in CORPUS)
    assert len(CORPUS) >= 30
    assert set(families) == set(FAMILIES)
    assert min(families.values()) >= 5
    generate.main(tmp_path)
    for fixture in CORPUS:
        written = tmp_path / fixture.family / fixture.path.name
        assert written.read_bytes() == fixture.content, fixture.name
        assert written.with_suffix(".json").read_text(encoding="utf-8") == (
            fixture.path.with_suffix(".json").read_text(encoding="utf-8")
        )


@pytest.mark.parametrize("fixture", CORPUS, ids=lambda fixture: fixture.name)
def test_page_yields_its_article_and_nothing_of_the_site(fixture: Fixture) -> None:
    expected = fixture.expected
    decoded = decode_html(fixture.content, header_charset(fixture))
    extracted = extract_article(decoded.text, f"http://news.example.com/{fixture.name}.html")
    assert extracted.title == expected["title"]
    assert wall_time(extracted.published_at) == expected["published"]
    assert extracted.source_name == expected["source"]
    assert extracted.author == expected["author"]
    assert recall(expected["paragraphs"], extracted.text) >= MIN_RECALL
    assert leaked(expected["paragraphs"], expected["boilerplate"], extracted.text) == []


def _first_of_each_family() -> list[Fixture]:
    chosen: dict[str, Fixture] = {}
    for fixture in CORPUS:
        chosen.setdefault(fixture.family, fixture)
    return list(chosen.values())


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", _first_of_each_family(), ids=lambda fixture: fixture.name)
def test_served_page_becomes_a_clean_draft(
    server: LocalServer, news: ColumnPage, fixture: Fixture
) -> None:
    expected = fixture.expected
    path = f"/{fixture.family}/{fixture.name}.html"
    server.routes[path] = Response(fixture.content, content_type=expected["content_type"])
    for image in set(_IMAGE.findall(fixture.content)):
        server.routes[image.decode()] = Response(jpeg_bytes(), content_type="image/jpeg")

    outcome = article_import_from_url(url=server.url(path), column=news)

    assert outcome.status is Status.IMPORTED, outcome.message
    page = ArticlePage.objects.get(pk=outcome.page.pk)
    assert page.title == expected["title"]
    assert wall_time(page.published_at) == expected["published"]
    assert page.source_name == expected["source"]
    assert page.author == expected["author"]
    assert page.is_repost and page.source_url == server.url(path)
    text = plain_text(page.body)
    assert recall(expected["paragraphs"], text) >= MIN_RECALL
    assert leaked(expected["paragraphs"], expected["boilerplate"], text) == []

"""Benchmark: how well the URL importer reads Chinese CMS pages (tests/importer/corpus).

    make bench-extract        (or: PYTHONPATH=src .venv/bin/python bench/extract_bench.py)

For each CMS family: paragraph recall (the share of the expected article's characters found,
in order, in the extracted body; difflib), boilerplate lines leaked into the body (any body
line that is no part of the article, and any of the page's known chrome lines), and how many
pages got the title, the publish date and time, 来源 and 作者 exactly right. The same figures
for trafilatura alone (its body and metadata, htmldate's date, no Chinese rules) show what the
rules of cms.py add. Prints a table and writes bench/results/extract-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the corpus and its scoring live with the tests

from tests.importer.corpus.scoring import Fixture, fixtures, leaked, recall  # noqa: E402

from kanwu.importer.decode import decode_html  # noqa: E402
from kanwu.importer.extract import _body, _text_of, extract_article  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BEIJING = timezone(timedelta(hours=8))
TARGET_RECALL = 0.99


def _wall(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(BEIJING)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _score(fixture: Fixture, text: str, fields: dict[str, str]) -> dict[str, Any]:
    expected = fixture.expected
    lines = leaked(expected["paragraphs"], expected["boilerplate"], text)
    return {
        "recall": recall(expected["paragraphs"], text),
        "leaked": len(lines),
        "leaked_lines": lines,
        **{name: fields[name] == expected[name] for name in fields},
    }


def _kanwu(fixture: Fixture, html: str, url: str) -> dict[str, Any]:
    extracted = extract_article(html, url)
    return _score(
        fixture,
        extracted.text,
        {
            "title": extracted.title,
            "published": _wall(extracted.published_at),
            "source": extracted.source_name,
            "author": extracted.author,
        },
    )


def _trafilatura(fixture: Fixture, html: str, url: str) -> dict[str, Any]:
    import htmldate
    import trafilatura

    metadata = trafilatura.extract_metadata(html, default_url=url)
    found = htmldate.find_date(html, url=url, original_date=True, outputformat="%Y-%m-%d %H:%M:%S")
    return _score(
        fixture,
        _text_of(_body(html, url)),
        {
            "title": (metadata.title or "") if metadata else "",
            "published": found or "",
            "source": (metadata.sitename or "") if metadata else "",
            "author": (metadata.author or "") if metadata else "",
        },
    )


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "pages": len(rows),
        "recall_mean": sum(row["recall"] for row in rows) / len(rows),
        "recall_min": min(row["recall"] for row in rows),
        "leaked_lines": sum(row["leaked"] for row in rows),
        **{
            name: sum(row[name] for row in rows)
            for name in ("title", "published", "source", "author")
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura alone")
    parser.add_argument("--verbose", action="store_true", help="print each page's leaks")
    args = parser.parse_args()
    readers = (
        {"kanwu": _kanwu} if args.no_baseline else {"kanwu": _kanwu, "trafilatura": _trafilatura}
    )
    per_page: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    started = time.perf_counter()
    for fixture in fixtures():
        content_type = fixture.expected["content_type"]
        charset = content_type.split("charset=", 1)[1] if "charset=" in content_type else ""
        html = decode_html(fixture.content, charset).text
        url = f"http://news.example.com/{fixture.name}.html"
        for reader, read in readers.items():
            per_page[reader][fixture.name] = {"family": fixture.family, **read(fixture, html, url)}
            if args.verbose and per_page[reader][fixture.name]["leaked"]:
                print(reader, fixture.name, per_page[reader][fixture.name]["leaked_lines"])
    seconds = time.perf_counter() - started
    report: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds")}
    header = (
        f"{'reader':<12} {'family':<10} {'pages':>5} {'recall':>7} {'min':>7} {'leaked':>6} "
        f"{'title':>6} {'time':>6} {'source':>6} {'author':>6}"
    )
    print(header)
    print("-" * len(header))
    passed = True
    for reader, pages in per_page.items():
        families: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in pages.values():
            families[row["family"]].append(row)
        report[reader] = {"families": {}, "pages": pages}
        for family, rows in [*sorted(families.items()), ("all", list(pages.values()))]:
            summary = _summary(rows)
            report[reader]["families"][family] = summary
            count = summary["pages"]
            print(
                f"{reader:<12} {family:<10} {count:>5} {summary['recall_mean']:>7.4f} "
                f"{summary['recall_min']:>7.4f} {summary['leaked_lines']:>6} "
                + " ".join(
                    f"{summary[name]:>3}/{count:<2}"
                    for name in ("title", "published", "source", "author")
                )
            )
            if reader == "kanwu" and (
                summary["recall_min"] < TARGET_RECALL or summary["leaked_lines"]
            ):
                passed = False
    print(f"{sum(len(pages) for pages in per_page.values())} extractions in {seconds:.1f} s")
    print(
        f"target (recall >= {TARGET_RECALL} and 0 leaked lines in every family): "
        + ("met" if passed else "NOT met")
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"extract-{datetime.now(UTC):%Y%m%d}.json"
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

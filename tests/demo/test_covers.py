"""Tests for the generated cover pictures (no Django needed)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageStat

from kanwu.demo.covers import make_cover


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_cover_is_a_jpeg_of_the_default_size() -> None:
    data = make_cover(random.Random(1))
    image = _decode(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (640, 400)
    assert 10_000 < len(data) < 120_000


def test_cover_has_the_requested_size() -> None:
    image = _decode(make_cover(random.Random(2), width=320, height=180))
    assert image.format == "JPEG"
    assert image.size == (320, 180)


def test_same_seed_gives_same_bytes() -> None:
    assert make_cover(random.Random(3)) == make_cover(random.Random(3))


def test_different_seeds_give_different_pictures() -> None:
    first = make_cover(random.Random(4))
    second = make_cover(random.Random(5))
    assert first != second
    assert _decode(first).tobytes() != _decode(second).tobytes()


def test_cover_is_not_flat() -> None:
    image = _decode(make_cover(random.Random(6)))
    assert all(deviation > 5 for deviation in ImageStat.Stat(image).stddev)

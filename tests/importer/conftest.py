from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image as PILImage
from pytest_django.fixtures import Settings

from tests.importer.server import LocalServer, running_server


def jpeg_bytes(colour: str = "#336699", size: tuple[int, int] = (120, 80)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def server(settings: Settings) -> Iterator[LocalServer]:
    """A local portal; the fetcher may reach exactly its address and port."""
    with running_server() as srv:
        settings.KANWU_FETCH_ALLOW_PRIVATE = [f"127.0.0.1:{srv.port}"]
        yield srv

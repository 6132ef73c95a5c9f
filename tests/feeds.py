"""Reading an RSS feed as a feed reader would."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.test import Client


def feed_of(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/rss+xml")
    return BeautifulSoup(response.content, "xml")

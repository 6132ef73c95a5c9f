from __future__ import annotations

import pytest
from django.test import Client

from kanwu.columns.models import ColumnPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/no-such-page/", "/news/no-such-article/", "/news/?page=xyz"])
def test_missing_pages_answer_404_in_chinese(client: Client, news: ColumnPage, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert "返回首页" in page

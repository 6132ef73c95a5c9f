"""Fixtures for backup tests: a data folder of their own and a small site to back up.

Backups read the database through their own connections (SQLite's backup API, pg_dump), so
these tests commit what they write (`transactional_db`) instead of rolling it back.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from pytest_django.fixtures import Settings

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.comments.services import comment_create
from kanwu.site.models import HomePage, SimplePage
from kanwu.site.services import site_ensure_tree
from kanwu.submissions.services import submission_create
from kanwu.uploads import check_upload
from tests.factories import ArticleFactory, ColumnFactory, make_image


@pytest.fixture
def data_dir(settings: Settings, tmp_path: Path) -> Path:
    """MEDIA_ROOT, private attachments and the secret key in a folder of this test's."""
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    settings.MEDIA_ROOT = folder / "media"
    return folder


def png_upload(name: str = "稿件配图.png") -> Any:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#2255aa").save(buffer, "PNG")
    buffer.name = name
    return check_upload(buffer, allowed={"png"}, max_bytes=1024 * 1024)


@dataclass
class SmallSite:
    home: HomePage
    news: ColumnPage
    history: ColumnPage
    articles: list[ArticlePage]
    comments: list[Comment]


def build_small_site() -> SmallSite:
    """Columns (one nested), articles with tags and a cover, threaded comments, a 单页 tree
    and a contribution with an attachment (a private file)."""
    home = site_ensure_tree()
    news = ColumnFactory(parent=home, title="新闻", slug="news")
    history = ColumnFactory(parent=news, title="统战史话", slug="history")
    ColumnFactory(parent=home, title="空栏目", slug="empty")
    cover = make_image("封面")
    articles = [
        ArticleFactory(
            parent=news, title="统一战线的历史与今天", slug="tongzhan",
            body=f'<p>统一战线的历史。</p><embed embedtype="image" id="{cover.pk}" '
            'format="fullwidth" alt="会场"/><p>今天的座谈会。</p>',
            summary="关于统一战线的摘要", cover=cover, tags=["统战", "历史"],
            source_name="人民网", source_url="https://example.cn/a", is_repost=True,
        ),
        ArticleFactory(parent=history, title="古籍修复展开幕", slug="guji", tags=["文化"]),
        ArticleFactory(parent=history, title="含有]]>的标题", slug="cdata",
                       body="<p>正文里有 ]]&gt; 和 &lt;script&gt; 字样。</p>"),
    ]  # fmt: skip
    first = comment_create(
        article=articles[0], parent=None, author_name="读者甲", author_email="a@example.cn",
        body="写得很好。", status=Comment.Status.APPROVED,
    )  # fmt: skip
    reply = comment_create(
        article=articles[0], parent=first, author_name="读者乙", author_email="b@example.cn",
        body="同意楼上。", status=Comment.Status.APPROVED,
    )  # fmt: skip
    pending = comment_create(
        article=articles[0], parent=None, author_name="读者丙", author_email="c@example.cn",
        body="等待审核的评论。",
    )  # fmt: skip
    about = SimplePage(title="关于我们", slug="about", body="<p>本站介绍。</p>")
    home.add_child(instance=about)
    about.save_revision().publish()
    contact = SimplePage(title="联系我们", slug="contact", body="<p>电话 010-1234。</p>")
    about.add_child(instance=contact)
    contact.save_revision().publish()
    submission_create(
        site=None, name="张三", email="zs@example.cn", phone="", title="家乡的变化",
        body="第一段。", files=[png_upload()],
    )  # fmt: skip
    return SmallSite(home, news, history, articles, [first, reply, pending])


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {
            info.name: tar.extractfile(info).read()  # type: ignore[union-attr]
            for info in tar.getmembers()
        }


def repack(source: Path, target: Path, contents: dict[str, bytes]) -> Path:
    """Write `contents` (member name → bytes, in order) as a new .tar.gz archive."""
    with tarfile.open(target, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target

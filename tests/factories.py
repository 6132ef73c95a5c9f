"""factory_boy factories for pages: pages are created through Wagtail's tree API."""

from __future__ import annotations

import io
from typing import Any

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage


class _PageFactory(factory.django.DjangoModelFactory):
    """Pages need a parent: pass `parent=<page>`; they are created live."""

    live = True

    @classmethod
    def _create(cls, model_class: type[Page], *args: Any, parent: Page, **kwargs: Any) -> Page:
        tags = kwargs.pop("tags", ())
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
            page.save()
        return page


class ColumnFactory(_PageFactory):
    class Meta:
        model = ColumnPage

    title = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")


class ArticleFactory(_PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"测试文章标题{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = factory.Sequence(
        lambda n: f"<p>这是第{n}篇测试文章的正文，讲述统一战线的历史与今天。</p>"
    )


def make_image(title: str = "图片", colour: str = "#b71c1c") -> Any:
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), colour).save(buffer, "JPEG")
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name="test.jpg")
    image.save()
    return image

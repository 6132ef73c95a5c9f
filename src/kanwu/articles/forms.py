"""The article editor's form.

One time, 发布时间: left empty, the article shows the moment it actually goes live (published at
once, or later by the scheduler); set in the future, publishing schedules the article for that
time; set in the past, it is shown as set (backdating, corrections).

The cover can be uploaded in place (`cover_upload`), without the image chooser's pop-up."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from kanwu.core import private
from kanwu.core.pages import PinyinSlugPageForm


class ArticlePageForm(PinyinSlugPageForm):
    cover_upload = WagtailImageField(
        label="上传封面", required=False, help_text="选择图片文件即可，也可以从图片库中选择封面。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        article = self.instance
        if field := self.fields.get("published_at"):
            field.required = False
            field.show_hidden_initial = False
            if article.pk is None or article.published_at_auto:
                # What readers will see: nothing decided yet, or (a revision saved before it
                # went live still holds an old value) the moment it went live.
                self.initial["published_at"] = article.first_published_at

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        article = self.instance
        if "published_at" not in self.fields or "published_at" in self.errors:
            return cleaned
        published = cleaned.get("published_at")
        article.published_at_auto = published is None
        if published is None:
            cleaned["published_at"] = article.first_published_at or timezone.now()
        elif published > timezone.now() and (article.pk is None or not article.live):
            if "go_live_at" in self.fields:
                if not cleaned.get("go_live_at"):
                    cleaned["go_live_at"] = published
            elif not article.go_live_at:
                article.go_live_at = published
        return cleaned

    def save(self, commit: bool = True) -> Any:
        if upload := self.cleaned_data.get("cover_upload"):
            image = get_image_model()(
                title=self.instance.title or upload.name,
                file=upload,
                uploaded_by_user=self.for_user,
            )
            private.set_image_metadata(image)
            image.save()
            self.instance.cover = image
        return super().save(commit=commit)

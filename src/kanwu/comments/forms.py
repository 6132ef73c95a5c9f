"""The reader's comment form. Field names are WordPress's, so habits and tools carry over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings

from kanwu import antispam
from kanwu.articles.models import ArticlePage
from kanwu.comments.models import MAX_BODY_LENGTH
from kanwu.comments.selectors import comment_settings_for


class CommentForm(forms.Form):
    comment_post_ID = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "缺少文章编号。", "invalid": "文章编号无效。"},
    )
    comment_parent = forms.IntegerField(
        required=False,
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={"invalid": "回复的评论编号无效。", "min_value": "回复的评论编号无效。"},
    )
    author = forms.CharField(
        label="昵称",
        max_length=50,
        error_messages={"required": "请填写昵称。", "max_length": "昵称最多 50 个字符。"},
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "maxlength": 50}),
    )
    email = forms.EmailField(
        label="邮箱",
        max_length=254,
        error_messages={
            "required": "请填写邮箱。",
            "invalid": "请填写有效的邮箱地址。",
            "max_length": "邮箱地址太长了。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    url = forms.URLField(
        label="网址",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "请填写有效的网址（以 http:// 或 https:// 开头）。",
            "max_length": "网址最多 200 个字符。",
        },
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    comment = forms.CharField(
        label="评论内容",
        max_length=MAX_BODY_LENGTH,
        error_messages={
            "required": "请填写评论内容。",
            "max_length": f"评论内容最多 {MAX_BODY_LENGTH} 个字符。",
        },
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_LENGTH}),
    )
    notify_replies = forms.BooleanField(label="有人回复时用邮件通知我", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")  # WordPress's ids: #author, #email, #comment
        super().__init__(*args, **kwargs)
        for field in ("author", "email", "comment"):
            self.fields[field].widget.attrs["required"] = True

    def clean_author(self) -> str:
        value: str = self.cleaned_data["author"]
        if any(ord(c) < 32 for c in value):
            raise forms.ValidationError("昵称不能包含控制字符。")
        return value


@dataclass(frozen=True)
class FormState:
    """What the comment form shows (comments/respond.html): values, invalid fields, errors.

    Read once from a CommentForm on the form's own page; blank under every article, where
    building a form cost more than the rest of the comment area.
    """

    values: dict[str, Any]
    invalid: frozenset[str] = frozenset()
    errors: tuple[str, ...] = ()
    comment_max_length: ClassVar[int] = MAX_BODY_LENGTH

    @classmethod
    def blank(cls, post_id: int, parent_id: int = 0) -> FormState:
        names = ("author", "email", "url", "comment")
        values: dict[str, Any] = dict.fromkeys(names, "")
        values.update(notify_replies=False, comment_post_ID=post_id, comment_parent=parent_id)
        return cls(values)

    @classmethod
    def of(cls, form: CommentForm) -> FormState:
        values = {name: form[name].value() for name in form.fields}
        errors = tuple(str(error) for errors in form.errors.values() for error in errors)
        return cls(
            {name: "" if value is None else value for name, value in values.items()},
            frozenset(form.errors),
            errors,
        )


def spam_policy(article: ArticlePage | None = None) -> antispam.SpamPolicy:
    """The comment form's spam rules; the settings let tests and sites tune them."""
    max_links = comment_settings_for(article).max_links if article is not None else 2
    return antispam.SpamPolicy(
        scope="comment",
        min_seconds=float(getattr(settings, "KANWU_COMMENT_MIN_SECONDS", 3)),
        rate_limit=int(getattr(settings, "KANWU_COMMENT_RATE_LIMIT", 5)),
        rate_window=int(getattr(settings, "KANWU_COMMENT_RATE_WINDOW", 600)),
        max_links=max_links,
    )


class ReplyForm(forms.Form):
    """An editor's reply to a reader's comment, in the admin's moderation queue."""

    body = forms.CharField(
        label="回复内容",
        max_length=MAX_BODY_LENGTH,
        error_messages={
            "required": "请填写回复内容。",
            "max_length": f"回复内容最多 {MAX_BODY_LENGTH} 个字符。",
        },
        widget=forms.Textarea(attrs={"rows": 6, "autofocus": True}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

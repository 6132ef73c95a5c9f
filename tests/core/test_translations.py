"""kanwu's own Chinese for the strings Wagtail leaves untranslated: compiled, loaded, and safe
to format."""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

import kanwu

LOCALE = Path(kanwu.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def catalogue(domain: str) -> Any:
    with (LOCALE / f"{domain}.po").open("rb") as po:
        return read_po(po)


def key(message: Any) -> Any:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{message.context}\x04{msgid}" if message.context else msgid


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_the_po_file(domain: str) -> None:
    """The committed .mo says what the .po says (run `make translations` after editing it)."""
    with (LOCALE / f"{domain}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    expected = {}
    for message in catalogue(domain):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            expected[(key(message), 0)] = message.string[0]
        else:
            expected[key(message)] = message.string
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated_with_no_unknown_placeholder(domain: str) -> None:
    """A placeholder the msgid lacks would fail when Wagtail formats the string."""
    for message in catalogue(domain):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id
        allowed = {name for msgid in ids for name in PLACEHOLDER.findall(msgid)}
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= allowed, (message.id, string)


def test_wagtail_strings_read_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索全部页面…"
        assert (
            translation.ngettext("Referenced %(count)s time", "Referenced %(count)s times", 3)
            % {"count": 3}
            == "被引用 3 次"
        )


@pytest.mark.django_db
def test_javascript_catalogue_has_the_editor_strings(client: Client) -> None:
    """StreamField's and Draftail's "Insert a block" come from the admin's JS catalogue."""
    client.force_login(User.objects.create_superuser("管理员", "admin@example.cn", "pw-123456"))
    script = client.get("/admin/jsi18n/").content.decode()
    for text in ("插入区块", "修改已自动保存。"):
        assert text in script or json.dumps(text).strip('"') in script

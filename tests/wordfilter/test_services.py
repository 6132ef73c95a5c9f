"""check_text reads the word lists from the database; imports from files and the admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from kanwu.wordfilter.models import SensitiveWord
from kanwu.wordfilter.services import check_text, words_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_check_text_follows_changes_to_the_list(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert check_text("这里有违禁词").action == "allow"
    with django_capture_on_commit_callbacks(execute=True):
        word = SensitiveWord.objects.create(word="违禁词", action="reject")
    assert check_text("这里有违 禁 詞").action == "reject"
    with django_capture_on_commit_callbacks(execute=True):
        word.action = "mask"
        word.save()
    result = check_text("这里有违禁词")
    assert (result.action, result.text) == ("allow", "这里有＊＊＊")
    with django_capture_on_commit_callbacks(execute=True):
        word.delete()
    assert check_text("这里有违禁词").action == "allow"


def test_words_import_adds_updates_and_replaces(django_capture_on_commit_callbacks: Any) -> None:
    SensitiveWord.objects.create(word="旧词", action="hold")
    SensitiveWord.objects.create(word="改词", action="reject")
    with django_capture_on_commit_callbacks(execute=True):
        created, updated = words_import(
            lines=["# 注释", "", " 新词 ", "改词", "新词"], action="hold", replace=True
        )
    assert (created, updated) == (1, 1)
    assert dict(SensitiveWord.objects.values_list("word", "action")) == {
        "新词": "hold",
        "改词": "hold",
    }
    assert check_text("一个新词").action == "hold"


def test_words_import_refuses_bad_input_and_stores_nothing() -> None:
    with pytest.raises(ValueError, match="未知的处理方式"):
        words_import(lines=["词"], action="delete")
    with pytest.raises(ValueError, match="太长"):
        words_import(lines=["好词", "长" * 101], action="hold")
    with pytest.raises(ValueError, match="只含空格或标点"):
        words_import(lines=["好词", "，。"], action="hold")
    assert not SensitiveWord.objects.exists()


def test_import_words_command(tmp_path: Path, django_capture_on_commit_callbacks: Any) -> None:
    path = tmp_path / "words.txt"
    path.write_text("\ufeff甲词\n乙词\n\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_words", str(path), "--action", "mask")
    assert set(SensitiveWord.objects.values_list("word", "action")) == {
        ("甲词", "mask"),
        ("乙词", "mask"),
    }
    assert check_text("甲词和乙词").text == "＊＊和＊＊"


def test_import_words_command_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_words", str(tmp_path / "none.txt"))
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("敏感词".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_words", str(bad))
    assert not SensitiveWord.objects.exists()


def test_admin_lists_and_imports_words(editor_client: Client) -> None:
    SensitiveWord.objects.create(word="已有词", action="hold")
    listing = editor_client.get("/admin/snippets/wordfilter/sensitiveword/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "已有词" in page
    assert "从文件导入" in page
    form = editor_client.get("/admin/wordfilter/import/")
    assert form.status_code == 200
    upload = SimpleUploadedFile("words.txt", "丙词\n丁词\n".encode())
    response = editor_client.post("/admin/wordfilter/import/", {"file": upload, "action": "reject"})
    assert response.status_code == 302
    assert SensitiveWord.objects.filter(action="reject").count() == 2


def test_admin_import_refuses_a_non_utf8_file(editor_client: Client) -> None:
    upload = SimpleUploadedFile("words.txt", "敏感词".encode("gbk"))
    response = editor_client.post("/admin/wordfilter/import/", {"file": upload, "action": "reject"})
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    assert not SensitiveWord.objects.exists()


def test_admin_word_edit_takes_effect(
    editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/snippets/wordfilter/sensitiveword/add/", {"word": "后台词", "action": "reject"}
        )
    assert response.status_code == 302
    assert check_text("后台 词").action == "reject"


def test_admin_import_needs_permission(client: Client, django_user_model: type[User]) -> None:
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reader", "r@example.cn", "pw-123456")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    upload = SimpleUploadedFile("words.txt", "词\n".encode())
    response = client.post("/admin/wordfilter/import/", {"file": upload, "action": "reject"})
    assert response.status_code in (302, 403)
    assert not SensitiveWord.objects.exists()

"""The security baseline as configuration: the HTTPS switch passes Django's deploy check, and
every answer carries the security headers (core/security.py, settings/base.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import kanwu
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.deadlines import DEADLINE
from tests.factories import ArticleFactory

PACKAGE = Path(kanwu.__file__).parent
READER_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}


def policy(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(parts)


def deploy_check(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set for the browser tests, and itself a deploy error.
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not key.startswith("KANWU_")
    }
    env.update(KANWU_DATA_DIR=str(tmp_path), **variables)
    return subprocess.run(
        [sys.executable, "-m", "kanwu.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )


@pytest.mark.slow
def test_the_https_switch_passes_the_deploy_check_without_a_warning(tmp_path: Path) -> None:
    result = deploy_check(
        tmp_path,
        KANWU_BASE_URL="https://news.example.cn",
        KANWU_ALLOWED_HOSTS="news.example.cn",
        KANWU_TRUSTED_PROXIES="127.0.0.1",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
    assert not re.search(r"\(\w+\.W\d+\)", output)


@pytest.mark.slow
def test_without_https_the_deploy_check_asks_for_it(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, KANWU_ALLOWED_HOSTS="news.example.cn")
    output = result.stdout + result.stderr
    assert "security.W008" in output  # SECURE_SSL_REDIRECT
    assert "security.W012" in output  # SESSION_COOKIE_SECURE


@pytest.fixture
def article(news: ColumnPage, site_settings: SiteSettings) -> Any:
    return ArticleFactory(parent=news, title="安全响应头测试")


@pytest.mark.django_db
def test_reader_pages_get_the_strict_policy_and_the_other_headers(
    client: Client, article: Any
) -> None:
    for url in ["/", article.url, "/search/?q=a", "/submit/", "/no-such-page/", "/feed/"]:
        response = client.get(url)
        assert policy(response["Content-Security-Policy"]) == READER_POLICY, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        permissions = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
            assert feature in permissions, (url, permissions)


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy(client: Client, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.cn", "x"))
    response = client.get("/admin/")
    assert response.status_code == 200
    admin = policy(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin["script-src"]
    assert "data:" in admin["img-src"]
    assert admin["frame-ancestors"] == "'self'"
    assert admin["object-src"] == "'none'"
    assert "http" not in response["Content-Security-Policy"]  # nothing from other sites


@pytest.mark.django_db
def test_https_turns_on_hsts_and_the_redirect(settings: Any, client: Client, home: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert client.get("/").status_code == 301
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# Templates of admin pages (under the admin's own policy), not shown to readers.
ADMIN_TEMPLATES = (
    "/admin/",
    "/templates/accounts/",
    "/templates/importer/",
    "/templates/wordfilter/",
)


def reader_templates() -> list[Path]:
    found = [
        path
        for path in PACKAGE.rglob("templates/**/*.html")
        if not any(part in path.as_posix() for part in ADMIN_TEMPLATES)
    ]
    assert len(found) > 20
    return found


@pytest.mark.parametrize("path", reader_templates(), ids=lambda path: path.name)
def test_reader_templates_have_no_inline_script_or_style(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", text, re.IGNORECASE), "style attribute"
    assert not re.search(r"<style\b", text, re.IGNORECASE), "<style> element"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text, re.IGNORECASE), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), "event handler attribute"
    assert "javascript:" not in text.lower()


@pytest.mark.django_db
def test_nginx_sends_the_same_headers_with_exported_files(client: Client, home: Any) -> None:
    include = Path(__file__).resolve().parents[2] / "deploy" / "kanwu_security_headers"
    sent = dict(
        re.findall(r'^add_header ([\w-]+) "([^"]*)" always;', include.read_text(), re.MULTILINE)
    )
    response = client.get("/")
    assert policy(sent.pop("Content-Security-Policy")) == policy(
        response["Content-Security-Policy"]
    )
    for name, value in sent.items():
        assert response[name] == value, name

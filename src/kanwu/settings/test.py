"""Settings for the test suite: real database, no network, fast password hashing."""

from __future__ import annotations

import os

import dj_database_url

from kanwu.settings.base import *  # noqa: F403
from kanwu.settings.base import DATA_DIR, DATABASES, search_backend_for

if url := os.environ.get("KANWU_TEST_DATABASE_URL"):
    DATABASES["default"] = dict(dj_database_url.parse(url))
    KANWU_SEARCH = {"BACKEND": search_backend_for(DATABASES["default"])}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "kanwu.core.taskqueue.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The page cache is exercised by tests/publishing, which turn it on with the `settings` fixture;
# elsewhere a cached page would hide what a test just changed inside its rolled-back transaction.
KANWU_PAGE_CACHE = {
    "ENABLED": False,
    "BACKEND": "kanwu.publishing.backends.files.FileStore",
    "OPTIONS": {"LOCATION": str(DATA_DIR / "test-pagecache")},
}
# Likewise the static export: tests/publishing name a folder when they need one.
KANWU_STATIC_DIR = None
# And scheduled backups: tests/backups name a folder when they need one.
KANWU_BACKUP_DIR = None

"""Settings shared by every deployment; the environment decides the rest (see env.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF

from kanwu.settings.env import read_env

ENV = read_env()
PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = ENV.data_dir

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = [
    f"{scheme}://{host}" for host in ALLOWED_HOSTS if host != "*" for scheme in ("http", "https")
]

INSTALLED_APPS = [
    "kanwu.serving",
    "kanwu.core",
    # Before wagtail.admin, whose login template its lockout page extends. Its login-log
    # receivers work whichever of them and django-axes' run first (accounts/signals.py).
    "kanwu.accounts",
    "kanwu.wordfilter",
    "kanwu.search",
    "kanwu.articles",
    "kanwu.columns",
    "kanwu.topics",
    "kanwu.comments",
    "kanwu.casework",
    "kanwu.submissions",
    "kanwu.takedowns",
    "kanwu.importer",
    "kanwu.publishing",
    "kanwu.site",
    "kanwu.roles",
    "kanwu.demo",
    "kanwu.backups",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    # Outermost, so a stored page keeps every header the other middleware add (security
    # headers included): a cache hit is the same answer as the miss that stored it.
    "kanwu.publishing.middleware.PageCacheMiddleware",
    # /zh-hant/<path>: the page at <path> in traditional characters. Inside the page cache, so
    # it is stored under its own address with its source page's tags; outside the rest, which
    # sees the simplified address.
    "kanwu.site.traditional.TraditionalMiddleware",
    # A 400 for a Content-Length or Content-Type Django itself would fail on.
    "kanwu.core.errors.MalformedRequestMiddleware",
    # X-Forwarded-Proto / -For count only from KANWU_TRUSTED_PROXIES (Django would believe
    # SECURE_PROXY_SSL_HEADER from anybody).
    "kanwu.core.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp): the strict reader policy, the admin's under /admin/.
    "kanwu.core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kanwu.core.memo.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff with a TOTP device (all staff with KANWU_REQUIRE_2FA) enter a code before /admin/.
    "kanwu.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kanwu.takedowns.middleware.TakedownGoneMiddleware",
    # WordPress's /?p=503 and //double-slash addresses → 301, before the home page answers.
    "kanwu.importer.oldlinks.OldAddressMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kanwu.urls"
CSRF_FAILURE_VIEW = "kanwu.comments.views.csrf_failure"
WSGI_APPLICATION = "kanwu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": ENV.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES: dict[str, Any]
TASKS: dict[str, Any]
if ENV.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "kanwu.core.cache.RedisCache",
            "LOCATION": ENV.redis_url,
            "KEY_PREFIX": "kanwu",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": ENV.redis_url}}
    # django-tasks-rq's, doing a task in place while Redis is away; every backend lets an
    # import batch its tasks (core/taskqueue.py, core/batching.py).
    TASKS = {"default": {"BACKEND": "kanwu.core.taskqueue.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {
        "default": {
            # Shared by the web workers and the task worker, unlike a per-process memory cache.
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
    TASKS = {"default": {"BACKEND": "kanwu.core.taskqueue.DatabaseBackend"}}
# Wagtail remembers image renditions in this cache on every page view: in each process's memory,
# so rendering a page writes no files (the renditions themselves are in the database).
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}

# Whole-page cache of anonymous GETs (kanwu.publishing): files in the data folder, shared by
# every worker on this machine, or Redis shared by every app server. KANWU_PAGE_CACHE=0 turns
# it off (for measuring uncached rendering).
KANWU_PAGE_CACHE: dict[str, Any] = {
    "ENABLED": ENV.page_cache,
    "BACKEND": (
        "kanwu.publishing.backends.redis.RedisStore"
        if ENV.redis_url
        else "kanwu.publishing.backends.files.FileStore"
    ),
    "OPTIONS": {
        "LOCATION": ENV.redis_url or str(DATA_DIR / "pagecache"),
        "MAX_BYTES": int(ENV.page_cache_mb * 1024 * 1024),  # the data-folder store
        "TTL": ENV.page_cache_ttl,
    },
}

# 静态化: the worker writes every public page into this folder and keeps it current, for nginx
# to serve (deploy/nginx.conf). <data dir>/html unless KANWU_STATIC_DIR names another folder;
# KANWU_STATIC_DIR=0 turns it off.
KANWU_STATIC_DIR: Path | None = ENV.static_dir

# The RSGI front `kanwu serve` runs (kanwu.serving.rsgi) reads request bodies before Django
# sees them: a byte at least every KANWU_BODY_TIMEOUT seconds, 16 KB/s on average once
# KANWU_BODY_DEADLINE seconds have passed, at most KANWU_MAX_UPLOADS large bodies at once per
# process and none over KANWU_MAX_BODY_BYTES (nginx's client_max_body_size in
# deploy/nginx.conf). KANWU_WEB_THREADS threads per process run Django.
KANWU_BODY_TIMEOUT: float = ENV.body_timeout
KANWU_BODY_DEADLINE: float = ENV.body_deadline
KANWU_MAX_UPLOADS: int = ENV.max_uploads
KANWU_MAX_BODY_BYTES: int = int(ENV.max_body_mb * 1024 * 1024)
KANWU_WEB_THREADS: int = ENV.web_threads

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kanwu.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login: django-axes counts failures by account and by address (KANWU_TRUSTED_PROXIES decides
# which address): 5 failures lock that account, or that address, for 30 minutes. Attempts
# during a lockout do not extend it. `kanwu axes_reset` (or 设置 › 登录锁定) unlocks.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "kanwu.core.proxies.client_ip"
AXES_LOCKOUT_CALLABLE = "kanwu.accounts.views.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # kanwu.accounts keeps the login log
AXES_ENABLE_ADMIN = False  # Django's admin is not served; the lockouts are in Wagtail's
AXES_VERBOSE = False
# Two-factor login (django-otp, TOTP): KANWU_REQUIRE_2FA makes it compulsory for all staff.
KANWU_REQUIRE_2FA = ENV.require_2fa
OTP_TOTP_ISSUER = "kanwu"
# The login log (kanwu.accounts) is kept this many days, then pruned by the worker (等保 2.0
# asks for at least 180 days, i.e. six months).
KANWU_LOGIN_LOG_DAYS = 180

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# kanwu's own Chinese for the Wagtail, Django and third-party strings editors meet that their
# zh_Hans catalogues lack; found first, so they also correct a wrong translation there.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The time zones an editor may pick in 账户设置 (instead of all ~600, mostly English names).
WAGTAIL_USER_TIME_ZONES = [
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Singapore",
    "Asia/Tokyo", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
    "Australia/Sydney", "UTC",
]  # fmt: skip

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "kanwu.core.storage.StaticFilesStorage"},
}
# Media uploaded by editors is served by the app itself in the embedded setup; behind nginx,
# set KANWU_SERVE_MEDIA=0 and let nginx serve MEDIA_ROOT.
KANWU_SERVE_MEDIA = ENV.serve_media
WHITENOISE_MAX_AGE = 3600

FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "kanwu"
# The address readers use (KANWU_BASE_URL): the default Wagtail site's host name and port are
# kept equal to it (kanwu.site.services.site_apply_base_url, when `kanwu serve`, `worker` and
# `publish-static` start), so sitemaps, feeds, canonical links and share cards name it.
KANWU_BASE_URL = ENV.base_url
WAGTAILADMIN_BASE_URL = ENV.base_url
# Chinese titles become pinyin slugs (kanwu.core.slugs) instead of percent-encoded URLs.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILREDIRECTS_AUTO_CREATE = True
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def search_backend_for(database: dict[str, Any]) -> str | None:
    """kanwu's Chinese search backend for a database (kanwu.search.backends)."""
    engine = str(database.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return "kanwu.search.backends.sqlite.SQLiteBackend"
    if engine.endswith(("postgresql", "postgis")):
        return "kanwu.search.backends.postgres.PostgresBackend"
    return None


# Readers' search (kanwu.search): the backend for the database in use, as KANWU_PAGE_CACHE
# names the page store.
KANWU_SEARCH: dict[str, Any] = {"BACKEND": search_backend_for(DATABASES["default"])}
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "kanwu.articles.tags.tags_from_string"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "kanwu <noreply@localhost>"

# Callables the worker's scheduler runs every tick (about every 30 s), after scheduled publishing.
KANWU_PERIODIC_JOBS: list[str] = [
    "kanwu.publishing.invalidation.new_day",
    "kanwu.publishing.invalidation.slots_lapsed",
    "kanwu.publishing.jobs.export_static_if_missing",
    "kanwu.publishing.hot.hot_refresh",
    "kanwu.submissions.jobs.remind_submissions",
    "kanwu.takedowns.jobs.remind_takedowns",
    "kanwu.importer.duplicates.fingerprints_refresh_periodic",
    "kanwu.backups.jobs.backup_daily",
    "kanwu.accounts.jobs.prune_login_log",
]

# Scheduled backups (kanwu.backups.jobs.backup_daily): one archive a day into this folder
# (<data dir>/backups unless KANWU_BACKUP_DIR names another; KANWU_BACKUP_DIR=0 turns them
# off), keeping the newest of the last KANWU_BACKUP_KEEP_DAILY days and of the
# KANWU_BACKUP_KEEP_WEEKLY weeks before them.
KANWU_BACKUP_DIR: Path | None = ENV.backup_dir
KANWU_BACKUP_KEEP_DAILY = ENV.backup_keep_daily
KANWU_BACKUP_KEEP_WEEKLY = ENV.backup_keep_weekly

# The safe fetcher (safefetch.py): True lets it reach private addresses (intranet use), or a
# list of networks / "ip:port" it may reach. The importer keeps article images as remote links
# instead of downloading them when KANWU_IMPORT_REMOTE_IMAGES is True.
KANWU_FETCH_ALLOW_PRIVATE: bool | list[str] = ENV.fetch_allow_private
KANWU_IMPORT_REMOTE_IMAGES = False
# Seconds one download may take in all.
KANWU_FETCH_TIMEOUT = 15.0
# The images of a WordPress import (importer/media.py): fetched this many at a time (at most
# PER_HOST from one host); a host is given up for the run after HOST_FAILURES timeouts or
# refused connections, or once its fetches took HOST_SECONDS; the run stops fetching after
# RUN_SECONDS of waiting for images. What was not fetched is kept as PendingMedia, to be
# fetched again by `kanwu import-wordpress FILE --retry-media` or the run page's button.
KANWU_IMPORT_MEDIA_WORKERS = 4
KANWU_IMPORT_MEDIA_PER_HOST = 2
KANWU_IMPORT_MEDIA_HOST_FAILURES = 2
KANWU_IMPORT_MEDIA_HOST_SECONDS = 30.0
KANWU_IMPORT_MEDIA_RUN_SECONDS = 300.0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "kanwu": {"level": "INFO"},
        # Damaged PDFs readers upload are refused (uploads); pypdf's notes on each
        # repair it tried are not worth a log line.
        "pypdf": {"level": "ERROR"},
    },
}

# Transport: the HTTPS switch (KANWU_HTTPS=1, or a KANWU_BASE_URL starting with https://).
# Off by default, so `kanwu serve` keeps working over plain http on 127.0.0.1.
KANWU_TRUSTED_PROXIES: list[str] = ENV.trusted_proxies
# Honoured only from KANWU_TRUSTED_PROXIES: TrustedProxyMiddleware removes the header otherwise.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
if ENV.https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.hsts_include_subdomains
    SECURE_HSTS_PRELOAD = ENV.hsts_preload
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's live preview shows the page being edited in a frame of the admin (same origin),
# so X-Frame-Options stays SAMEORIGIN, matching the policies' frame-ancestors 'self': no other
# site may frame kanwu's pages. Django's deploy check W019 asks for DENY; silenced for that.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if not ENV.hsts_preload:
    # HSTS preload is an opt-in (KANWU_HSTS_PRELOAD=1): once browsers ship the domain in their
    # preload list, it and every subdomain stay HTTPS-only for months, which an operator must
    # decide, not a default. W021 only says preload is off.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp). Reader pages are cached and shared by every reader,
# so they carry no nonce: no inline script or style, everything from static files.
# KANWU_CSP_IMG_HOSTS / KANWU_CSP_FRAME_HOSTS add image hosts (a media host, images the
# importer linked) and frame hosts (video embeds).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *ENV.csp_img_hosts],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        **({"frame-src": [SELF, *ENV.csp_frame_hosts]} if ENV.csp_frame_hosts else {}),
    }
}
# Wagtail's admin (under /admin/) runs inline scripts and styles of its own, and shows QR
# codes and uploaded previews as data:/blob: images: its policy allows those, and nothing
# from other sites (kanwu.core.security).
KANWU_ADMIN_CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-inline'"],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", *ENV.csp_img_hosts],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, *ENV.csp_frame_hosts],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    name: []
    for name in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "interest-cohort", "magnetometer", "microphone", "midi", "payment", "usb",
        "browsing-topics",
    )
}  # fmt: skip
# Nothing in the admin may reach other sites: no update check, no Gravatar avatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

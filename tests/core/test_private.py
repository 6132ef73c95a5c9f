"""One test per private attribute in kanwu/core/private.py: each fails loudly, naming the
installed Django and Wagtail, when an upgrade renames the attribute or changes its meaning."""

from __future__ import annotations

import os
from typing import Any

import django
import pytest
import redis
import treebeard
import wagtail
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connection
from django.db.models.sql import Query
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core import private
from kanwu.core.cache import KeptRedisCacheClient, RedisCache
from kanwu.site.models import HomePage

pytestmark = pytest.mark.django_db
VERSIONS = (
    f"Django {django.get_version()}, Wagtail {wagtail.__version__}, "
    f"treebeard {treebeard.__version__}; checked with {private.CHECKED_WITH}"
)


def changed(what: str) -> str:
    return f"{what} no longer works as kanwu/core/private.py expects ({VERSIONS})"


def test_the_request_site_is_what_wagtail_finds(
    home: HomePage, django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/", HTTP_HOST="elsewhere.example:8080")
    site = Site(hostname="set.example", root_page=home)
    private.set_request_site(request, site)
    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is site, changed("request._wagtail_site")


def test_the_request_root_paths_are_what_page_urls_use(home: HomePage) -> None:
    request = RequestFactory().get("/")
    paths = Site.get_site_root_paths()
    private.set_request_root_paths(request, paths)
    assert home._get_site_root_paths(request) is paths, changed(
        "request._wagtail_cached_site_root_paths"
    )


def test_the_raw_host_is_read_before_allowed_hosts(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["good.example"]
    request = RequestFactory().get("/", HTTP_HOST="Evil.Example:81")
    assert private.raw_host(request) == "Evil.Example:81", changed("HttpRequest._get_raw_host")


def test_slug_availability_is_wagtails_check(home: HomePage) -> None:
    child = home.add_child(instance=Page(title="甲", slug="taken"))
    assert not private.slug_is_available("taken", home), changed("Page._slug_is_available")
    assert private.slug_is_available("taken", home, child), changed("Page._slug_is_available")
    assert private.slug_is_available("free", home), changed("Page._slug_is_available")


def test_add_child_hands_its_parent_to_full_clean(home: HomePage) -> None:
    """PinyinSlugMixin makes a slug from the title before the page has a path."""
    column = home.add_child(instance=ColumnPage(title="统战", slug=""))
    assert column.slug == "tong-zhan", changed("Page._cached_parent_obj (set by add_child)")


def test_an_evaluated_queryset_runs_no_query(django_assert_num_queries: Any) -> None:
    queryset = private.already_evaluated(PageViewRestriction.objects.none(), [])
    with django_assert_num_queries(0):
        assert list(queryset) == [], changed("QuerySet._result_cache")
    rows = list(Page.objects.all()[:1])
    queryset = private.already_evaluated(Page.objects.filter(pk=-1), rows)
    assert list(queryset) == rows, changed("QuerySet._result_cache")


def test_field_converters_turn_rows_into_values() -> None:
    compiler = connection.ops.compiler("SQLCompiler")(Query(ArticlePage), connection, None)
    field = ArticlePage._meta.get_field("published_at")
    converters = private.field_converters(compiler, [field.get_col(ArticlePage._meta.db_table)])
    if connection.vendor == "sqlite":  # datetimes come back as text and need converting
        assert converters and converters[0][0] == 0, changed("SQLCompiler.get_converters")
        functions, _ = converters[0][1]
        assert functions, changed("SQLCompiler.get_converters")


def test_the_redis_pool_index_and_client_class() -> None:
    url = os.environ.get("KANWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    cache = RedisCache(url, {})
    assert cache._class is KeptRedisCacheClient, changed("RedisCache._class")
    client: Any = cache._cache
    assert isinstance(client, RedisCacheClient)
    assert private.redis_pool_index(client, True) == 0, changed(
        "RedisCacheClient._get_connection_pool_index"
    )
    assert client.get_client(write=True) is client.get_client(write=True)


def test_rows_inserted_with_only_the_models_own_columns(home: HomePage) -> None:
    parent = home.add_child(instance=Page(title="丙", slug="bulk"))
    page = parent.add_child(instance=Page(title="丁", slug="bulk-article"))
    row = ArticlePage(page_ptr_id=page.pk, body="<p>正文</p>")
    row.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
    private.insert_rows(ArticlePage, [row], using="default")
    assert ArticlePage.objects.filter(pk=page.pk).exists(), changed("Manager._insert")


def test_tree_paths_follow_treebeard() -> None:
    assert private.tree_path("0001", 2, 1) == "00010001", changed("MP_Node._get_path")
    assert private.tree_path("0001", 2, 36) == "00010010", changed("MP_Node._get_path")


def test_a_new_image_gets_its_size_and_hash_from_its_file() -> None:
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (30, 20), "red").save(buffer, "PNG")
    image = get_image_model()(title="红")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="red.png")
    private.set_image_metadata(image)
    assert (image.width, image.height) == (30, 20), changed("Image._set_image_file_metadata")
    assert image.file_size == len(buffer.getvalue()) and image.file_hash, changed(
        "Image._set_image_file_metadata"
    )


def test_the_server_cursor_is_outside_the_sites_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only a PostgreSQL server has databases to create (kanwu backup --verify)")
    with private.server_cursor(connection) as cursor:
        cursor.execute("SELECT current_database()")
        name = cursor.fetchone()[0]
    assert name != connection.settings_dict["NAME"], changed("connection._nodb_cursor")


def test_references_are_what_wagtails_reference_index_records(home: HomePage) -> None:
    from django.db import transaction
    from wagtail.models import ReferenceIndex

    from tests.factories import ArticleFactory, ColumnFactory

    article = ArticleFactory(parent=ColumnFactory(parent=home), tags=["统战", "历史"])
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(article)
    rows = ReferenceIndex.get_references_for_object(article)
    recorded = set(
        rows.values_list("to_content_type", "to_object_id", "model_path", "content_path")
    )
    assert len(recorded) >= 2, "the tags are references"
    assert private.references_of(article) == recorded, changed(
        "ReferenceIndex._extract_references_from_object"
    )
    for row in rows:
        assert private.reference_path_hash(row.content_path) == row.content_path_hash, changed(
            "ReferenceIndex._get_content_path_hash"
        )

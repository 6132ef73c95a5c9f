from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kanwu.articles.feeds import NewestArticlesFeed
from kanwu.articles.sitemaps import sitemap_index, sitemap_news, sitemap_pages
from kanwu.articles.views import tag_page
from kanwu.columns.feeds import COLUMN_FEED_PATTERN, ColumnFeed
from kanwu.serving.health import healthz
from kanwu.site.views import favicon, robots_txt
from kanwu.topics.feeds import TopicFeed


def no_such_id(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """Ids longer than any database column holds (Wagtail would fail to convert them)."""
    raise Http404("没有这个文件。")


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Editors' uploads, when the app serves them: a name the file system refuses (too long,
    say) is simply not there."""
    try:
        return serve(request, path, document_root=str(settings.MEDIA_ROOT))
    except OSError as exc:
        raise Http404("文件不存在。") from exc


column_feed, topic_feed = ColumnFeed(), TopicFeed()


def page_feed(request: HttpRequest, path: str) -> HttpResponse:
    """/<path>/feed/: the RSS feed of the column at <path>, else of the 专题 there."""
    try:
        response: HttpResponse = column_feed(request, path=path)
    except Http404:
        response = topic_feed(request, path=path)
    return response


urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    re_path(r"^documents/(?:authenticate_with_password/)?(?P<pk>[0-9]{19,})/", no_such_id),
    path("documents/", include(wagtaildocs_urls)),
    path("comments/", include("kanwu.comments.urls")),
    path("search/", include("kanwu.search.urls")),
    path("submit/", include("kanwu.submissions.urls")),
    path("takedown/", include("kanwu.takedowns.urls")),
    path("_/", include("kanwu.publishing.urls")),
    path("feed/", NewestArticlesFeed(), name="feed"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-pages-<int:number>.xml", sitemap_pages, name="sitemap-pages"),
    path("sitemap-news.xml", sitemap_news, name="sitemap-news"),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path("tag/<str:slug>/", tag_page, name="tag"),
    path("healthz", healthz, name="healthz"),
]

if settings.KANWU_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(re_path(rf"^{media_prefix}/(?P<path>.*)$", media))

urlpatterns += [
    # Before Wagtail's pages: /<column or 专题 path>/feed/ is its RSS feed.
    re_path(COLUMN_FEED_PATTERN, page_feed, name="column-feed"),
    path("", include(wagtail_urls)),
]

handler400 = "kanwu.core.errors.bad_request"
handler403 = "kanwu.core.errors.permission_denied"
handler404 = "kanwu.core.errors.page_not_found"
handler500 = "kanwu.core.errors.server_error"

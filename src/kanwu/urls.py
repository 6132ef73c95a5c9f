from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kanwu.articles.feeds import NewestArticlesFeed, sitemap_view
from kanwu.articles.views import tag_page

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comments/", include("kanwu.comments.urls")),
    path("search/", include("kanwu.search.urls")),
    path("submit/", include("kanwu.submissions.urls")),
    path("takedown/", include("kanwu.takedowns.urls")),
    path("_/", include("kanwu.publishing.urls")),
    path("feed/", NewestArticlesFeed(), name="feed"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    path("tag/<str:slug>/", tag_page, name="tag"),
]

if settings.KANWU_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns.append(path("", include(wagtail_urls)))

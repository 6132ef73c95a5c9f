"""/tag/<slug>/: a tag's page (标签), its articles newest first, as WordPress tag archives."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from kanwu.articles.selectors import TAG_ARTICLES_PER_PAGE, tagged_articles
from kanwu.core.dependencies import shows, shows_pages, tag_listing_tag
from kanwu.core.pages import paginate


@require_safe
def tag_page(request: HttpRequest, slug: str) -> HttpResponse:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("没有这个标签。")
    shows([tag_listing_tag(tag.name)])
    page, page_range = paginate(tagged_articles(tag).for_lists(), TAG_ARTICLES_PER_PAGE, request)
    if not page.paginator.count:
        raise Http404("这个标签下没有文章。")
    shows_pages(article.pk for article in page.object_list)
    context = {
        "tag": tag,
        "articles": page,
        "page_range": page_range,
        # The page's name for its canonical link, share card and BreadcrumbList (site.reach).
        "reach_title": f"标签：{tag.name}",
        "reach_description": f"标签“{tag.name}”下的文章，共 {page.paginator.count} 篇。",
    }
    return render(request, "articles/tag_page.html", context)

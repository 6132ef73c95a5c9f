"""Page behaviour every kanwu page type shares: pinyin slugs for Chinese titles, and view
restrictions checked from memory when there are none."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as ListPage
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page, PagePermissionTester, PageViewRestriction, Site

from kanwu.core import memo, private
from kanwu.core.slugs import pinyin_slug


def unique_child_slug(parent: Page, title: str, instance: Page | None = None) -> str:
    """A pinyin slug for `title` that no sibling under `parent` uses yet."""
    base = pinyin_slug(title)
    candidate, suffix = base, 1
    while not private.slug_is_available(candidate, parent, instance):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class PinyinSlugPageForm(WagtailAdminPageForm):
    """Editors may leave the slug empty: it is made from the title's pinyin."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = "网址中的名称，只能用英文字母、数字和连字符；留空则按标题拼音自动生成。"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if not cleaned.get("slug") and cleaned.get("title") and "slug" not in self.errors:
            parent = self.parent_page or self.instance.get_parent()
            if parent is None:
                raise forms.ValidationError("无法确定上级页面，请填写网址名称。")
            cleaned["slug"] = unique_child_slug(parent, cleaned["title"], self.instance)
        return cleaned


class PinyinSlugMixin:
    """Fill an empty slug with pinyin before Wagtail validates, for pages made in code."""

    base_form_class = PinyinSlugPageForm

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        page: Any = self
        parent = private.parent_given_to_add_child(page)
        if not page.slug and page.title and (page.path or parent):
            page.slug = unique_child_slug(parent or page.get_parent(), page.title, page)
        super().full_clean(*args, **kwargs)  # type: ignore[misc]


class RememberedRestrictionsMixin:
    """Wagtail checks view restrictions on every page served, in two queries; most sites have
    none, so the check reads a remembered list first and queries only when one may apply."""

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        if not memo.may_be_restricted(self):
            # Already evaluated: Wagtail iterates it on every page served, and even an empty
            # queryset is compiled on iteration.
            return private.already_evaluated(PageViewRestriction.objects.none(), [])
        restrictions: QuerySet[PageViewRestriction] = super().get_view_restrictions()  # type: ignore[misc]
        return restrictions


def url_for_path(url_path: str, request: HttpRequest | None) -> str:
    """What `Page.get_url(request)` gives for the page at `url_path`, without a model instance
    when the page is on the request's site (a list of links need not load its pages)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is not None and url_path.startswith(root := site.root_page.url_path):
        prefix = memo.remembered("serve-prefix", lambda: reverse("wagtail_serve", args=("",)))
        return f"{prefix}{url_path[len(root) :]}"
    return Page(url_path=url_path).get_url(request) or ""


def urls_for_paths(url_paths: list[str], request: HttpRequest | None) -> list[str]:
    """`url_for_path` for many pages: the site and its prefix looked up once."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return [url_for_path(path, request) for path in url_paths]
    root = site.root_page.url_path
    prefix = memo.remembered("serve-prefix", lambda: reverse("wagtail_serve", args=("",)))
    return [
        f"{prefix}{path[len(root) :]}" if path.startswith(root) else url_for_path(path, request)
        for path in url_paths
    ]


def root_url(request: HttpRequest) -> str:
    """The site's address as its Wagtail site record says (KANWU_BASE_URL keeps it right:
    `site_apply_base_url`), not the Host this request sent; without a trailing slash."""
    site = Site.find_for_request(request)
    if site is None:
        site = memo.remembered("default-site", lambda: Site.objects.get(is_default_site=True))
    return str(site.root_url)


def absolute_url(url: str, request: HttpRequest) -> str:
    """`url` (a path, or an address already absolute) on the site's configured address."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return ("https:" if request.is_secure() else "http:") + url
    return root_url(request) + iri_to_uri(url)


class LeafPermissionTester(PagePermissionTester):
    """Wagtail's page permission checks, with 删除 answered from the row for a page without
    children. Wagtail asks the database whether the page "and its descendants" are all the
    user's own drafts (撰稿) or all unpublished (编辑), once per row of the explorer listing;
    for a leaf that is the page itself, which the row already holds."""

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        page, user = self.page, self.user
        if self.page_is_root or not user.is_active or user.is_superuser or not page.is_leaf():
            return bool(super().can_delete(ignore_bulk))
        permissions = self.permissions
        if "change" in permissions:
            return "publish" in permissions or not page.live
        if "add" in permissions:
            own = page.owner_id is not None and page.owner_id == user.pk
            return own if "publish" in permissions else own and not page.live
        return False


class LeafPermissionsMixin:
    """For page types that never have children (articles): LeafPermissionTester."""

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return LeafPermissionTester(user, self)


def paginate(items: Any, per_page: int, request: HttpRequest) -> tuple[ListPage[Any], list[Any]]:
    """The page of `items` that ?page= asks for, and the page numbers to link (… between
    runs); a page that is not there is a 404 saying so."""
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("没有这一页。") from exc
    return page, list(paginator.get_elided_page_range(page.number, on_each_side=2))

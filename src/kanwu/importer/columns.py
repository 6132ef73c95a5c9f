"""Finding the column an import goes into, by slug or slug path (news/history)."""

from __future__ import annotations

from kanwu.columns.models import ColumnPage


class ColumnNotFound(Exception):
    """No single column matches (a Chinese message)."""


def column_by_slug(slug_or_path: str) -> ColumnPage:
    wanted = slug_or_path.strip().strip("/")
    if not wanted:
        raise ColumnNotFound("请指定栏目")
    if "/" in wanted:
        matches = list(ColumnPage.objects.filter(url_path__endswith=f"/{wanted}/"))
    else:
        matches = list(ColumnPage.objects.filter(slug=wanted))
    if not matches:
        raise ColumnNotFound(f"找不到网址名称为 {wanted} 的栏目")
    if len(matches) > 1:
        paths = "、".join(page.url_path.strip("/").split("/", 1)[-1] for page in matches)
        raise ColumnNotFound(f"有多个栏目使用网址名称 {wanted}（{paths}），请写出完整路径")
    return matches[0]

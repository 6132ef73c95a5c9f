"""Finding the column an import goes into: by slug, slug path (news/history) or Chinese name."""

from __future__ import annotations

from kanwu.columns.models import ColumnPage


class ColumnNotFound(Exception):
    """No single column matches (a Chinese message that lists the columns there are)."""


def _path(column: ColumnPage) -> str:
    return str(column.url_path).strip("/").split("/", 1)[-1]


def column_list() -> str:
    """Every column as `path（title）`, one per line, in tree order."""
    columns = ColumnPage.objects.order_by("path")
    return "\n".join(f"  {_path(c)}（{c.title}）" for c in columns) or "  （还没有栏目）"


def column_by_slug(slug_or_path: str) -> ColumnPage:
    """The column named by its slug (`news`), its slug path (`news/history`) or its title
    (`统战史话`, `新闻/统战史话`)."""
    wanted = slug_or_path.strip().strip("/")
    if not wanted:
        raise ColumnNotFound(f"请指定栏目。现有栏目：\n{column_list()}")
    columns = ColumnPage.objects.all()
    if "/" in wanted:
        matches = list(columns.filter(url_path__endswith=f"/{wanted}/"))
        if not matches:
            *parents, title = wanted.split("/")
            matches = [
                column
                for column in columns.filter(title=title)
                if [a.title for a in column.get_ancestors().type(ColumnPage)][-len(parents) :]
                == parents
            ]
    else:
        matches = list(columns.filter(slug=wanted)) or list(columns.filter(title=wanted))
    if not matches:
        raise ColumnNotFound(
            f"找不到栏目“{wanted}”。现有栏目（网址名称或名称都可以）：\n{column_list()}"
        )
    if len(matches) > 1:
        paths = "、".join(_path(page) for page in matches)
        raise ColumnNotFound(f"有多个栏目叫“{wanted}”（{paths}），请写出完整路径")
    return matches[0]

"""Where a DedeCMS site's rows come from: its MySQL/MariaDB database, or a SQL dump of it.

Both are read whole, before anything is written, into a private SQLite file (`Spill`) in a
temporary folder: a database that cannot be reached, a table that is missing or a dump that
breaks off is refused with the site untouched; the import then reads one article at a time
from the spill (memory stays flat) and holds no MySQL connection open while it fetches images
and saves pages, which can take far longer than a MySQL server keeps an idle connection.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kanwu.importer.dedecms.sqldump import DumpError, charset_codec, dump_rows

# The tables read (without the prefix), and those a site cannot do without.
TABLES = ("arctype", "archives", "addonarticle", "feedback", "member")
REQUIRED = ("arctype", "archives")
# Columns the import reads from each table; a table lacking one is not DedeCMS 5.x's.
COLUMNS = {
    "arctype": {"id", "reid", "typename", "typedir"},
    "archives": {"id", "typeid", "title", "flag", "arcrank", "pubdate", "senddate"},
    "addonarticle": {"aid", "body"},
    "feedback": {"id", "aid", "username", "ischeck", "dtime", "msg"},
    "member": {"mid", "uname"},
}
DEFAULT_PORT = 3306
CONNECT_SECONDS = 10


class DedeSourceError(Exception):
    """The database or dump cannot be read as a DedeCMS site (Chinese message); nothing was
    written."""


Row = dict[str, Any]


class Spill:
    """The rows read, in a private SQLite file: one table of JSON rows keyed by (kind, id)."""

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "dedecms.sqlite3")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE row (kind TEXT NOT NULL, id INTEGER NOT NULL, ref INTEGER NOT NULL,"
            " data TEXT NOT NULL, PRIMARY KEY (kind, id))"
        )
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def close(self) -> None:
        self.db.close()

    def add(self, kind: str, row: Row) -> None:
        key = {"addonarticle": "aid", "member": "mid"}.get(kind, "id")
        ref = {"archives": "typeid", "feedback": "aid"}.get(kind, key)
        try:
            pk, ref_id = int(row[key]), int(row.get(ref) or 0)
        except (TypeError, ValueError):
            value = row.get(key)
            raise DedeSourceError(f"表 {kind} 中有一行的 {key} 不是数字：{value!r}") from None
        plain = {k: _plain(v) for k, v in row.items()}
        data = json.dumps(plain, ensure_ascii=False, default=str)
        self.db.execute(
            "INSERT OR REPLACE INTO row (kind, id, ref, data) VALUES (?, ?, ?, ?)",
            (kind, pk, ref_id, data),
        )
        self.counts[kind] += 1

    def commit(self) -> None:
        self.db.commit()
        self.db.execute("CREATE INDEX row_ref ON row (kind, ref, id)")

    def _rows(self, sql: str, *params: Any) -> Iterator[Row]:
        for (data,) in self.db.execute(sql, params):
            yield json.loads(data)

    def columns(self) -> list[Row]:
        return list(self._rows("SELECT data FROM row WHERE kind = 'arctype' ORDER BY id"))

    def members(self) -> dict[int, Row]:
        rows = self._rows("SELECT data FROM row WHERE kind = 'member'")
        return {int(row["mid"]): row for row in rows}

    def articles(self) -> Iterator[tuple[Row, Row | None]]:
        """Each archive with its addonarticle row (None when it has none), by id."""
        cursor = self.db.execute(
            "SELECT a.data, b.data FROM row a LEFT JOIN row b"
            " ON b.kind = 'addonarticle' AND b.id = a.id"
            " WHERE a.kind = 'archives' ORDER BY a.id"
        )
        for archive, addon in cursor:
            yield json.loads(archive), json.loads(addon) if addon else None

    def feedback_of(self, aid: int) -> list[Row]:
        return list(
            self._rows("SELECT data FROM row WHERE kind = 'feedback' AND ref = ? ORDER BY id", aid)
        )

    def orphan_feedback(self) -> list[Row]:
        """Comments on no archive of the site."""
        return list(
            self._rows(
                "SELECT f.data FROM row f WHERE f.kind = 'feedback' AND NOT EXISTS"
                " (SELECT 1 FROM row a WHERE a.kind = 'archives' AND a.id = f.ref) ORDER BY f.id"
            )
        )


def _plain(value: Any) -> Any:
    """A column value as JSON keeps it: a SET (`flag`) as MySQL writes it, "c,h"."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset):
        return ",".join(sorted(str(v) for v in value))
    return value


def table_prefix(names: Iterable[str], wanted: str = "") -> str:
    """The site's table prefix ("dede_" by default): the one that names both `archives` and
    `arctype`."""
    names = set(names)
    if wanted:
        return wanted
    if {"dede_archives", "dede_arctype"} <= names:
        return "dede_"
    prefixes = {name[: -len("archives")] for name in names if name.endswith("archives")} & {
        name[: -len("arctype")] for name in names if name.endswith("arctype")
    }
    if len(prefixes) == 1:
        return prefixes.pop()
    if len(prefixes) > 1:
        listed = "、".join(sorted(prefixes))
        raise DedeSourceError(f"找到多组 DedeCMS 数据表（前缀 {listed}），请用 --prefix 指定一组")
    return "dede_"


def _check_tables(found: dict[str, set[str]], prefix: str) -> None:
    missing = [prefix + name for name in REQUIRED if name not in found]
    if missing:
        raise DedeSourceError(
            f"缺少 DedeCMS 的数据表 {'、'.join(missing)}：这不像是 DedeCMS 5.x 的数据库"
        )
    for name, columns in found.items():
        if lacking := COLUMNS[name] - columns:
            raise DedeSourceError(
                f"数据表 {prefix}{name} 缺少字段 {'、'.join(sorted(lacking))}："
                "这不像是 DedeCMS 5.x 的数据表"
            )


@dataclass(frozen=True)
class Dsn:
    host: str
    port: int
    user: str
    password: str
    database: str

    @property
    def label(self) -> str:
        return f"mysql://{self.host}:{self.port}/{self.database}"


def dsn_parse(dsn: str) -> Dsn:
    """mysql://user:password@host:port/database (mariadb:// too)."""
    try:
        parts = urlsplit(dsn)
        port = parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise DedeSourceError(f"数据库地址无效：{exc}") from None
    if parts.scheme not in {"mysql", "mariadb"}:
        raise DedeSourceError("数据库地址应写成 mysql://用户名:密码@主机:端口/数据库名")
    database = unquote(parts.path.strip("/"))
    if not database or not parts.hostname:
        raise DedeSourceError(
            "数据库地址中缺少主机或数据库名：mysql://用户名:密码@主机:端口/数据库名"
        )
    query = parse_qs(parts.query)
    return Dsn(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or query.get("user", ["root"])[0]),
        password=unquote(parts.password or ""),
        database=database,
    )


def spill_from_mysql(spill: Spill, dsn: str, *, charset: str = "", prefix: str = "") -> str:
    """Read the site's tables from MySQL/MariaDB into `spill`; return the site's label.

    The server converts text from each column's declared charset (utf8 or gbk) to utf8mb4. An
    old site that kept GBK bytes in latin1 columns (the PHP connection never said otherwise)
    is read as latin1 bytes and decoded as `charset` when that names another charset."""
    import pymysql
    import pymysql.cursors

    target = dsn_parse(dsn)
    codec = charset_codec(charset) if charset else ""

    def connect(names: str) -> Any:
        try:
            return pymysql.connect(
                host=target.host,
                port=target.port,
                user=target.user,
                password=target.password,
                database=target.database,
                charset=names,
                connect_timeout=CONNECT_SECONDS,
                read_timeout=600,
                cursorclass=pymysql.cursors.SSDictCursor,
            )
        except pymysql.MySQLError as exc:
            raise DedeSourceError(f"无法连接数据库 {target.label}：{_mysql_reason(exc)}") from None

    connection = connect("utf8mb4")
    try:
        with connection.cursor(pymysql.cursors.Cursor) as cursor:
            cursor.execute(
                "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES"
                " WHERE TABLE_SCHEMA = %s",
                (target.database,),
            )
            collations = {str(name): str(collation or "") for name, collation in cursor}
        found_prefix = table_prefix(collations, prefix)
        found: dict[str, set[str]] = {}
        with connection.cursor(pymysql.cursors.Cursor) as cursor:
            for name in TABLES:
                if (full := found_prefix + name) in collations:
                    cursor.execute(
                        "SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                        " WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                        (target.database, full),
                    )
                    found[name] = {str(column) for (column,) in cursor}
        _check_tables(found, found_prefix)
        latin1 = collations.get(found_prefix + "archives", "").startswith("latin1")
        redecode = codec if latin1 and codec and codec != "latin-1" else ""
        if redecode:
            connection.close()
            connection = connect("latin1")
        for name in found:
            with connection.cursor() as cursor:
                # The name is one of TABLES after a prefix read from the server's own list.
                cursor.execute(f"SELECT * FROM `{found_prefix}{name}`")  # noqa: S608
                for row in cursor:
                    if redecode:
                        row = {k: _redecode(v, redecode) for k, v in row.items()}
                    spill.add(name, row)
    except pymysql.MySQLError as exc:
        raise DedeSourceError(f"读取数据库 {target.label} 失败：{_mysql_reason(exc)}") from None
    finally:
        connection.close()
    spill.commit()
    return target.label


def _redecode(value: Any, codec: str) -> Any:
    if isinstance(value, str):
        return value.encode("latin-1", "replace").decode(codec, "replace")
    return value


def _mysql_reason(exc: Exception) -> str:
    args: tuple[Any, ...] = tuple(exc.args)
    code = args[0] if args else 0
    message = str(args[1]) if len(args) > 1 else str(exc)
    reasons = {
        1044: "没有访问这个数据库的权限",
        1045: "用户名或密码错误",
        1049: "数据库不存在",
        2003: "连接不上数据库服务器（主机或端口不对，或服务器没有运行）",
        2005: "找不到这个主机名",
    }
    return f"{reasons.get(code, '数据库报错')}（{code}：{message}）"


_NAMES = re.compile(
    rb"(?:CREATE\s+TABLE|INSERT\s+INTO)\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w$]+)", re.IGNORECASE
)
_DATABASE = re.compile(rb"^-- Host: .*?Database: (\S+)", re.MULTILINE)


def _dump_tables(path: Path) -> tuple[set[str], str]:
    """The table names a dump creates or fills (a fast scan), and the database it names."""
    names: set[str] = set()
    database = ""
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            names.update(name.decode("latin-1") for name in _NAMES.findall(data))
            if not database and (match := _DATABASE.search(data)):
                database = match.group(1).decode("utf-8", "replace")
            tail = data[-200:]
    return names, database


def spill_from_dump(spill: Spill, path: Path, *, charset: str = "", prefix: str = "") -> str:
    """Read the site's tables from a mysqldump file into `spill`; return the site's label."""
    if not path.is_file():
        raise DedeSourceError(f"找不到文件：{path}")
    names, database = _dump_tables(path)
    found_prefix = table_prefix(names, prefix)
    wanted = {found_prefix + name: name for name in TABLES}
    found: dict[str, set[str]] = {}
    try:
        for table, row in dump_rows(path, charset=charset, wanted=set(wanted)):
            kind = wanted[table.name]
            if kind not in found:
                found[kind] = set(row)
            spill.add(kind, row)
    except DumpError as exc:
        raise DedeSourceError(f"无法读取 SQL 文件 {path.name}：{exc}") from None
    if not names:
        raise DedeSourceError(f"文件 {path.name} 中没有任何数据表（不是 SQL 导出文件？）")
    _check_tables(found, found_prefix)
    spill.commit()
    return f"dump:{database or path.name}"


def spill_label(source: str) -> str:
    """The label an import of `source` files its objects under, without reading its rows."""
    if re.match(r"^(mysql|mariadb)://", source, re.IGNORECASE):
        return dsn_parse(source).label
    path = Path(source)
    if not path.is_file():
        raise DedeSourceError(f"找不到文件：{path}")
    return f"dump:{_dump_tables(path)[1] or path.name}"

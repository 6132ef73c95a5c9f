"""A generated DedeCMS 5.7 site for the tests: its rows, a MariaDB database built from DedeCMS's
own table definitions (dedecms57_tables.sql), and a mysqldump-style file of it, in utf8 or gbk.

The text comes from kanwu's demo generator; titles carry characters whose GBK encoding ends in
the byte 0x5C (a backslash), which a reader that splits GBK strings byte by byte misreads.
"""

from __future__ import annotations

import contextlib
import random
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kanwu.demo.textgen import TOPICS, body_html, generate_article

SCHEMA = Path(__file__).with_name("dedecms57_tables.sql")
MARIADB_HOST, MARIADB_PORT = "127.0.0.1", 3306
# Characters whose GBK form is <lead byte> 0x5C.
GBK_BACKSLASH_CHARS = "誠運錦"
FIRST_DAY = datetime(2024, 3, 1, 1, 30, tzinfo=UTC)  # 09:30 in DedeCMS's UTC+8
NUMERIC = {"int", "smallint", "mediumint", "tinyint", "bigint", "float"}


def schema_statements() -> dict[str, str]:
    """DedeCMS's CREATE TABLE statements, by table name (dede_ prefix), engine clause left to
    the caller (`{engine}`)."""
    text = "\n".join(
        line
        for line in SCHEMA.read_text(encoding="utf-8").splitlines()
        if not line.startswith("--")
    )
    statements = {}
    for statement in text.split(";"):
        if "CREATE TABLE" not in statement:
            continue
        statement = statement.strip().replace("#@__", "dede_").replace("TYPE=MyISAM", "{engine}")
        name = re.search(r"CREATE TABLE `(\w+)`", statement)
        assert name is not None
        statements[name.group(1)] = statement
    return statements


def table_columns(statement: str) -> list[tuple[str, Any]]:
    """Each column and the value a row gets when it does not set it."""
    columns: list[tuple[str, Any]] = []
    for line in statement.splitlines():
        match = re.match(r"\s*`(\w+)` (\w+)", line)
        if not match:
            continue
        name, kind = match.groups()
        default = re.search(r"default '([^']*)'", line)
        if "auto_increment" in line:
            value: Any = 0
        elif kind in NUMERIC:
            value = int(float(default.group(1))) if default else 0
        elif default:
            value = default.group(1)
        elif "NOT NULL" in line:
            value = ""
        else:
            value = None
        columns.append((name, value))
    return columns


@dataclass
class DedeSite:
    """Rows per table (dede_ prefix), only the columns a test sets; the rest take defaults."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> dict[str, Any]:
        self.rows.setdefault(table, []).append(row)
        return row

    def full_rows(self, table: str) -> Iterator[list[Any]]:
        columns = table_columns(schema_statements()[table])
        for row in self.rows.get(table, []):
            yield [row.get(name, default) for name, default in columns]

    def articles(self) -> list[dict[str, Any]]:
        return self.rows["dede_archives"]

    def body(self, aid: int) -> str:
        return next(r["body"] for r in self.rows["dede_addonarticle"] if r["aid"] == aid)


def site_generate(articles: int = 10, *, seed: int = 7, comments: int = 2) -> DedeSite:
    """A site: columns (a tree, one with its own naming rule, an external link), members,
    articles with every flag, drafts, covers and body images, and comments. Text fits its
    columns in GBK bytes too (a char(30) of a latin1 table holds 15 Chinese characters)."""
    rng = random.Random(seed)
    site = DedeSite()
    columns = [
        (1, 0, "新闻中心", "{cmspath}/a/news", ""),
        (2, 1, "国内新闻", "{cmspath}/a/news/guonei", ""),
        (3, 0, "时事评论", "{cmspath}/a/pinglun", "{typedir}/{Y}/{M}{D}/{aid}.html"),
    ]
    for tid, reid, name, typedir, namerule in columns:
        site.add(
            "dede_arctype",
            id=tid,
            reid=reid,
            topid=reid,
            typename=name,
            typedir=typedir,
            namerule=namerule or "{typedir}/{Y}{M}{D}/{aid}.html",
            namerule2="{typedir}/list_{tid}_{page}.html",
            description=f"{name}栏目的简介",
            crossid="",
            content="",
            smalltypes="",
        )
    site.add(
        "dede_arctype", id=4, reid=0, typename="友情网站", typedir="http://example.com/",
        ispart=2, crossid="", content="", smalltypes="",
    )  # fmt: skip
    site.add("dede_member", mid=1, userid="admin", uname="编辑部")
    site.add("dede_member", mid=2, userid="cheng", uname=f"张{GBK_BACKSLASH_CHARS[0]}")
    topics = list(TOPICS)
    flag_sets = ["h", "c,h", "f,p", "a", "s", "b", "j", "", "c,a,b", "h,s"]
    feedback_id = 0
    for aid in range(1, articles + 1):
        text = generate_article(rng, topics[aid % len(topics)])
        title = text.title[:28]
        if aid == 1:
            title = f"{GBK_BACKSLASH_CHARS}：{title}"[:28]
        day = FIRST_DAY + timedelta(days=aid, hours=aid % 5)
        stamp = int(day.timestamp())
        html = body_html(text)
        if aid % 3 == 1:
            html += f'<p><img src="/uploads/allimg/240301/body-{aid}.jpg" alt="图{aid}"></p>'
        if aid == 2:  # DedeCMS's page breaks: one with a title of its own, one left as it came
            html = f"{html}#p#第二页#e#<p>第二页的正文。</p>#p#分页标题#e#<p>第三页的正文。</p>"
        flag = flag_sets[(aid - 1) % len(flag_sets)]
        site.add(
            "dede_archives",
            id=aid,
            typeid=[1, 2, 3][aid % 3],
            sortrank=stamp,
            flag=flag or None,
            ismake=1,
            channel=1,
            arcrank={2: -1, 3: -2, 6: 10}.get(aid, 0),  # 6: members only
            click=100 + aid,
            title=title,
            shorttitle=text.subtitle[:18],
            writer="" if aid == 4 else text.author[:10],
            source=(text.source_name or "未知")[:15],
            litpic=f"/uploads/allimg/240301/{aid}-cover.jpg" if aid % 2 == 1 else "",
            pubdate=stamp,
            senddate=stamp + (86400 if aid == 5 else 0),
            mid=2 if aid == 4 else 1,
            keywords=",".join(text.tags)[:15].strip(","),
            voteid=0,
            description=text.summary[:120],
            filename="about-us" if aid == 6 else "",
        )
        site.add(
            "dede_addonarticle",
            aid=aid,
            typeid=[1, 2, 3][aid % 3],
            body=html,
            redirecturl="http://www.example.com/jump" if "j" in flag else "",
        )
        for n in range(comments):
            feedback_id += 1
            site.add(
                "dede_feedback",
                id=feedback_id,
                aid=aid,
                typeid=[1, 2, 3][aid % 3],
                username="" if n == 1 else f"读者{feedback_id}",
                mid=2 if n == 1 else 0,
                arctitle=title,
                ip="10.0.0.1" if n == 0 else "",
                ischeck=1 if n == 0 else 0,
                dtime=stamp + 3600 * (n + 1),
                msg=f"第{feedback_id}条评论：说得好，{GBK_BACKSLASH_CHARS}。\\ 'quoted' \"double\"",
            )
    # A channel-2 (图集) archive, and a comment on an article that is gone.
    site.add(
        "dede_archives", id=articles + 1, typeid=1, channel=2, title="图集：不导入",
        pubdate=int(FIRST_DAY.timestamp()), senddate=int(FIRST_DAY.timestamp()), voteid=0,
    )  # fmt: skip
    site.add(
        "dede_feedback", id=feedback_id + 1, aid=999, username="路人", ischeck=1, msg="孤立的评论",
        dtime=int(FIRST_DAY.timestamp()),
    )  # fmt: skip
    return site


# ----- a SQL dump -----
def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return str(value)
    escaped = (
        str(value)
        .replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\0", "\\0")
        .replace("\x1a", "\\Z")
    )
    return f"'{escaped}'"


def dump_write(site: DedeSite, path: Path, *, charset: str, rows_per_insert: int = 3) -> Path:
    """The site as mysqldump writes it: header comments, SET NAMES, each table's DROP and
    CREATE, then extended INSERTs (several rows each); the file in `charset`'s encoding, each
    string escaped as characters (so a GBK second byte 0x5C stays as it is, as MySQL does)."""
    codec = {"utf8": "utf-8", "utf8mb4": "utf-8", "gbk": "gbk"}[charset]
    lines = [
        "-- MySQL dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)",
        "--",
        "-- Host: localhost    Database: dedecms_site",
        "-- ------------------------------------------------------",
        f"/*!40101 SET NAMES {charset} */;",
        "/*!40103 SET TIME_ZONE='+00:00' */;",
        "",
    ]
    for table, statement in sorted(schema_statements().items()):
        lines += [
            "--",
            f"-- Table structure for table `{table}`",
            "--",
            f"DROP TABLE IF EXISTS `{table}`;",
            statement.format(engine=f"ENGINE=MyISAM DEFAULT CHARSET={charset}") + ";",
            "",
            f"LOCK TABLES `{table}` WRITE;",
        ]
        rows = list(site.full_rows(table))
        for start in range(0, len(rows), rows_per_insert):
            values = ",".join(
                "(" + ",".join(_literal(v) for v in row) + ")"
                for row in rows[start : start + rows_per_insert]
            )
            lines.append(f"INSERT INTO `{table}` VALUES {values};")  # noqa: S608 (a dump file)
        lines += ["UNLOCK TABLES;", ""]
    lines.append("-- Dump completed on 2024-03-20 10:00:00")
    path.write_bytes("\n".join(lines).encode(codec))
    return path


# ----- a MariaDB database -----
def mariadb_answers() -> bool:
    with contextlib.suppress(OSError), socket.create_connection((MARIADB_HOST, MARIADB_PORT), 2):
        return True
    return False


def mariadb_connect(database: str | None = None, *, charset: str = "utf8mb4") -> Any:
    import pymysql

    return pymysql.connect(
        host=MARIADB_HOST,
        port=MARIADB_PORT,
        user="root",
        password="",
        database=database,
        charset=charset,
        autocommit=True,
    )


def mariadb_build(site: DedeSite, database: str, *, charset: str, column_charset: str = "") -> str:
    """Create `database` in `charset` from DedeCMS's table definitions and insert the site's
    rows; return its DSN. `column_charset` declares the tables in another charset (latin1:
    an old GBK site whose PHP connection never said so, and stored GBK bytes as latin1)."""
    tables = column_charset or charset
    latin1 = column_charset == "latin1"
    connection = mariadb_connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
            cursor.execute(f"CREATE DATABASE `{database}` CHARACTER SET {charset}")
    finally:
        connection.close()
    connection = mariadb_connect(database, charset="latin1" if latin1 else "utf8mb4")
    try:
        with connection.cursor() as cursor:
            for statement in schema_statements().values():
                sql = statement.format(engine=f"ENGINE=MyISAM DEFAULT CHARSET={tables}")
                if latin1:  # DedeCMS's GBK installer: its defaults ('个人') as GBK bytes
                    sql = sql.encode("gbk").decode("latin-1")
                cursor.execute(sql)
    finally:
        connection.close()
    connection = mariadb_connect(database, charset="latin1" if latin1 else "utf8mb4")
    try:
        with connection.cursor() as cursor:
            for table, statement in schema_statements().items():
                columns = [name for name, _ in table_columns(statement)]
                rows = list(site.full_rows(table))
                if latin1:  # the GBK bytes, sent as latin1 characters
                    rows = [
                        [
                            v.encode("gbk").decode("latin-1") if isinstance(v, str) else v
                            for v in row
                        ]
                        for row in rows
                    ]
                if rows:
                    names = ",".join(f"`{name}`" for name in columns)
                    marks = ",".join(["%s"] * len(columns))
                    insert = f"INSERT INTO `{table}` ({names}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(insert, rows)
    finally:
        connection.close()
    return f"mysql://root@{MARIADB_HOST}:{MARIADB_PORT}/{database}"


def mariadb_drop(database: str) -> None:
    connection = mariadb_connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
    finally:
        connection.close()

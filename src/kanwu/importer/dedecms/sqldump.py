"""Reading a mysqldump-style SQL file: its tables' rows, streamed, in Python (no MySQL needed).

A dump is a list of statements: `CREATE TABLE` (the columns, and the table's
`DEFAULT CHARSET`), `INSERT INTO t [(cols)] VALUES (…),(…);` and `SET NAMES x` (the charset
the whole file is written in). Everything else is skipped. The file is read a chunk at a time;
only one statement is held at once.

Strings are split and unescaped as bytes, then decoded. In GBK (and GB2312, GB18030) a
two-byte character can end in 0x5C, the byte of a backslash, and MySQL's charset-aware escaping
does not double it: the scanner steps over a multi-byte character whole, so such a character
is not read as an escape. Outside strings no such byte can appear (GBK's second bytes are
0x40 and up; quotes and `;` are lower).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
MULTIBYTE = {"gbk", "gb2312", "gb18030", "cp936", "big5"}
# MySQL charset names → Python codecs.
CHARSETS = {
    "utf8": "utf-8",
    "utf8mb3": "utf-8",
    "utf8mb4": "utf-8",
    "gbk": "gbk",
    "gb2312": "gbk",  # GBK is a superset, and old sites' "gb2312" data often is GBK
    "gb18030": "gb18030",
    "big5": "big5",
    "latin1": "latin-1",
    "binary": "utf-8",
}


class DumpError(Exception):
    """The file is not a readable SQL dump (a Chinese message says where and why)."""


def charset_codec(name: str) -> str:
    """The Python codec for a MySQL charset name; DumpError for one kanwu does not know."""
    wanted = name.strip().lower().replace("-", "")
    if wanted in CHARSETS:
        return CHARSETS[wanted]
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise DumpError(f"不认识的字符集：{name}") from None


def _string_pattern(multibyte: bool) -> bytes:
    # The leading multi-byte alternative is tried first at each byte, and the repetition is
    # possessive, so a GBK second byte 0x5C is never taken for an escape.
    char = rb"[\x81-\xfe][\x30-\x39\x40-\xfe]|" if multibyte else b""
    return rb"'(?:" + char + rb"[^'\\]|\\.|'')*+'"


def _tokens(multibyte: bool) -> re.Pattern[bytes]:
    string = _string_pattern(multibyte)
    return re.compile(
        rb"(?P<s>" + string + rb")"
        rb'|(?P<q>"(?:[^"\\]|\\.|"")*+")'
        rb"|(?P<b>`[^`]*`)"
        rb"|(?P<c>--[^\n]*(?:\n|\Z)|\#[^\n]*(?:\n|\Z)|/\*(?!!).*?\*/)"
        rb"|(?P<v>/\*!\d*)|(?P<ve>\*/)"
        rb"|(?P<end>;)"
        rb"|(?P<o>[^'\"`;\-#/*]+|[-/*#])",
        re.DOTALL,
    )


@dataclass
class Table:
    name: str
    columns: list[str] = field(default_factory=list)
    charset: str = ""


@dataclass
class _State:
    charset: str = ""  # SET NAMES
    tables: dict[str, Table] = field(default_factory=dict)


class _Statements:
    """The statements of a dump file, each as bytes with comments left out."""

    def __init__(self, stream: BinaryIO, multibyte: bool) -> None:
        self.stream = stream
        self.pattern = _tokens(multibyte)
        self.line = 1

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        buffer = b""
        eof = False
        parts: list[bytes] = []
        start_line = self.line
        pos = 0
        while True:
            if not eof and len(buffer) - pos < CHUNK:
                chunk = self.stream.read(CHUNK)
                buffer = buffer[pos:] + chunk
                pos = 0
                eof = not chunk
            if pos >= len(buffer):
                break
            match = self.pattern.match(buffer, pos)
            cut = (
                match is not None
                and match.group(0) == b"/"
                and buffer[match.end() : match.end() + 1] in {b"*", b""}
            )  # a comment whose end is not read yet
            if match is None or (not eof and (match.end() == len(buffer) or cut)):
                # An unfinished string or comment (or a token that may go on): read more.
                if eof:
                    raise DumpError(f"第 {self.line} 行附近：引号或注释没有结束，文件可能不完整")
                chunk = self.stream.read(CHUNK)
                buffer = buffer[pos:] + chunk
                pos = 0
                eof = not chunk
                continue
            token = match.group(0)
            kind = match.lastgroup
            self.line += token.count(b"\n")
            pos = match.end()
            if kind == "c" or kind in {"v", "ve"}:
                # /*!40101 … */ versioned comments run their content: keep it as SQL.
                parts.append(b" ")
                continue
            if kind == "end":
                statement = b"".join(parts).strip()
                parts = []
                if statement:
                    yield start_line, statement
                start_line = self.line
                continue
            if not parts and not token.strip():
                start_line = self.line
            parts.append(token)
        if b"".join(parts).strip():
            raise DumpError(f"第 {start_line} 行起的语句没有以分号结束，文件可能不完整")


_CREATE = re.compile(
    rb"^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([\w$]+)`?\s*\((.*)\)(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_DEFINITION = re.compile(rb"'(?:[^'\\]|\\.|'')*'|`[^`]*`|[(),]", re.DOTALL)
_TABLE_CHARSET = re.compile(rb"(?:DEFAULT\s+)?(?:CHARSET|CHARACTER\s+SET)\s*=?\s*(\w+)", re.I)
_SET_NAMES = re.compile(rb"^SET\s+NAMES\s+'?(\w+)'?", re.IGNORECASE)
_INSERT = re.compile(
    rb"^(?:INSERT|REPLACE)\s+(?:LOW_PRIORITY\s+|DELAYED\s+|HIGH_PRIORITY\s+)?(?:IGNORE\s+)?"
    rb"(?:INTO\s+)?`?([\w$]+)`?\s*(?:\(([^)]*)\))?\s*VALUES\s*",
    re.IGNORECASE,
)


def _value_pattern(multibyte: bool) -> re.Pattern[bytes]:
    string = _string_pattern(multibyte)
    return re.compile(
        rb"\s*(?:(?P<s>(?:_\w+\s*)?" + string + rb")|(?P<n>NULL)|(?P<h>0x[0-9a-fA-F]*)"
        rb"|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?))\s*(?P<sep>,|\))",
        re.IGNORECASE,
    )


_ESCAPES = {
    b"0": b"\0", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"Z": b"\x1a",
    b"%": b"\\%", b"_": b"\\_",
}  # fmt: skip


def _unescape(raw: bytes, multibyte: bool) -> bytes:
    pattern = rb"([\x81-\xfe][\x30-\x39\x40-\xfe])|\\(.)|('')" if multibyte else rb"\\(.)|('')"

    def replace(match: re.Match[bytes]) -> bytes:
        if multibyte and match.group(1):
            return match.group(1)
        escaped = match.group(2 if multibyte else 1)
        if escaped is not None:
            return _ESCAPES.get(escaped, escaped)
        return b"'"

    return re.sub(pattern, replace, raw, flags=re.DOTALL)


Value = str | int | float | bytes | None


def _rows(
    body: bytes, line: int, codec: str, multibyte: bool, values: re.Pattern[bytes]
) -> Iterator[list[Value]]:
    pos = 0
    length = len(body)
    while pos < length:
        while pos < length and body[pos : pos + 1] in {b" ", b"\n", b"\r", b"\t", b","}:
            pos += 1
        if pos >= length:
            break
        if body[pos : pos + 1] != b"(":
            raise DumpError(f"第 {line} 行起的 INSERT 语句：VALUES 后应为括号中的一行数据")
        pos += 1
        row: list[Value] = []
        while True:
            match = values.match(body, pos)
            if match is None:
                if body[pos:].lstrip().startswith(b")") and not row:
                    pos = body.index(b")", pos) + 1
                    break
                raise DumpError(f"第 {line} 行起的 INSERT 语句中有无法读取的值")
            pos = match.end()
            if (raw := match.group("s")) is not None:
                quoted = raw[raw.index(b"'") + 1 : -1]
                data = _unescape(quoted, multibyte)
                if raw.lower().startswith(b"_binary"):
                    row.append(data)
                else:
                    try:
                        row.append(data.decode(codec))
                    except UnicodeDecodeError as exc:
                        raise DumpError(
                            f"第 {line} 行起的数据不是 {codec} 编码（可用 --charset 指定）：{exc}"
                        ) from None
            elif match.group("n") is not None:
                row.append(None)
            elif (hexed := match.group("h")) is not None:
                row.append(bytes.fromhex(hexed[2:].decode()))
            else:
                number = match.group("num").decode()
                row.append(float(number) if any(c in number for c in ".eE") else int(number))
            if match.group("sep") == b")":
                break
        yield row


def dump_rows(
    path: Path, *, charset: str = "", wanted: set[str] | None = None
) -> Iterator[tuple[Table, dict[str, Value]]]:
    """Each row of the tables in `wanted` (all when None), as (table, {column: value}).

    `charset` (a MySQL name) overrides the dump's own SET NAMES / table charset."""
    forced = charset_codec(charset) if charset else ""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise DumpError(f"无法打开文件：{exc.strerror}") from None
    with stream:
        head = stream.read(4096)
        stream.seek(0)
        if b"\0" in head:
            raise DumpError("这不是 SQL 文本文件（含有二进制内容）")
        codec = forced or _first_names(head) or "utf-8"
        multibyte = codec.replace("-", "") in MULTIBYTE
        values = _value_pattern(multibyte)
        state = _State()
        statements = 0
        for line, statement in _Statements(stream, multibyte):
            statements += 1
            if match := _SET_NAMES.match(statement):
                state.charset = match.group(1).decode()
                if not forced:
                    new = charset_codec(state.charset)
                    if new.replace("-", "") in MULTIBYTE and not multibyte:
                        raise DumpError(
                            f"第 {line} 行：SET NAMES {state.charset} 出现在文件中间，请用 "
                            "--charset 指定整个文件的字符集"
                        )
                    codec = new
                continue
            if match := _CREATE.match(statement):
                name = match.group(1).decode()
                columns = _create_columns(match.group(2))
                found = _TABLE_CHARSET.search(match.group(3))
                state.tables[name] = Table(
                    name=name, columns=columns, charset=found.group(1).decode() if found else ""
                )
                continue
            if match := _INSERT.match(statement):
                name = match.group(1).decode()
                if wanted is not None and name not in wanted:
                    continue
                table = state.tables.get(name) or Table(name=name)
                columns = (
                    [c.strip().strip(b"`").decode() for c in match.group(2).split(b",")]
                    if match.group(2)
                    else table.columns
                )
                if not columns:
                    raise DumpError(
                        f"第 {line} 行：表 {name} 的数据前没有它的表结构（CREATE TABLE）"
                    )
                row_codec = codec
                if not forced and not state.charset and table.charset:
                    row_codec = charset_codec(table.charset)
                for row in _rows(statement[match.end() :], line, row_codec, multibyte, values):
                    if len(row) != len(columns):
                        raise DumpError(
                            f"第 {line} 行：表 {name} 的一行有 {len(row)} 个值，"
                            f"应为 {len(columns)} 个"
                        )
                    yield table, dict(zip(columns, row, strict=True))
        if not statements:
            raise DumpError("文件中没有 SQL 语句")


def _create_columns(body: bytes) -> list[str]:
    """The column names of a CREATE TABLE's definitions: the parts, split at the commas that
    are not inside parentheses or quotes, that start with a quoted name (not KEY, PRIMARY…)."""
    parts: list[bytes] = []
    depth, start = 0, 0
    for token in _DEFINITION.finditer(body):
        text = token.group(0)
        if text == b"(":
            depth += 1
        elif text == b")":
            depth -= 1
        elif text == b"," and depth == 0:
            parts.append(body[start : token.start()])
            start = token.end()
    parts.append(body[start:])
    columns = []
    for part in parts:
        if name := re.match(rb"\s*`([^`]+)`", part):
            columns.append(name.group(1).decode("utf-8", "replace"))
    return columns


def _first_names(head: bytes) -> str:
    """The charset the dump says it is written in (its first SET NAMES), else ""."""
    if match := re.search(rb"SET\s+NAMES\s+'?(\w+)", head, re.IGNORECASE):
        return charset_codec(match.group(1).decode())
    if match := _TABLE_CHARSET.search(head):
        return charset_codec(match.group(1).decode())
    return ""

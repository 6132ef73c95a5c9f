"""The backup archive: a tar stream, gzip- or zstd-compressed, every member hashed.

`ArchiveWriter` writes members one after another into a file opened under a temporary name
(the caller renames it when the archive is whole), hashing each member's bytes as they are
written: the manifest, written last, lists the SHA-256 and size of every other member.
`read_members` streams an archive back in one pass, member by member, and turns every kind of
damage (not an archive, truncated, corrupt compression) into a `BackupError`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

import zstandard

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
SUFFIXES = {".tar.gz": "gzip", ".tgz": "gzip", ".tar.zst": "zstd", ".tar.zstd": "zstd"}
# Top-level names an archive may hold (see services.backup_create for what each is).
ROOTS = {"database", "data", "media", "private", "secret_key", MANIFEST}


class BackupError(Exception):
    """Something the person running kanwu has to know, said in Chinese (no traceback)."""


def compression_for(path: Path) -> str:
    """ "gzip" or "zstd", from the archive's file name."""
    name = path.name.lower()
    for suffix, kind in SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    raise BackupError(
        f"无法从文件名判断压缩格式：{path.name}（请使用 .tar.gz 或 .tar.zst 结尾的文件名）"
    )


def safe_member_name(name: str) -> bool:
    """A relative POSIX path inside one of ROOTS, without `..` or empty parts."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] in ROOTS and all(p not in {"", ".", ".."} for p in parts)


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


class _HashingReader:
    """Reads exactly `size` bytes of `source` for tarfile, hashing them as they pass.

    A file that shrinks while it is read (a site stays online during a backup) is padded
    with zeros and one that grows is cut at `size`: the member is whatever was written, and
    its hash says so.
    """

    def __init__(self, source: IO[bytes], size: int) -> None:
        self.source = source
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        want = self.left if n < 0 else min(n, self.left)
        data = self.source.read(want)
        if len(data) < want:
            data += b"\x00" * (want - len(data))
        self.left -= len(data)
        self.digest.update(data)
        return data


class ArchiveWriter:
    """Members written into an open tar stream; `members` records each one's hash and size."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.members: dict[str, Member] = {}

    def _info(self, name: str, size: int, mtime: float) -> tarfile.TarInfo:
        if name in self.members or not safe_member_name(name):
            raise ValueError(f"bad or repeated member name {name!r}")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(mtime)
        info.mode = 0o600
        return info

    def add_stream(self, name: str, source: IO[bytes], size: int, mtime: float = 0) -> Member:
        reader = _HashingReader(source, size)
        self.tar.addfile(self._info(name, size, mtime), reader)
        member = Member(reader.digest.hexdigest(), size)
        self.members[name] = member
        return member

    def add_file(self, name: str, path: Path) -> Member | None:
        """Add a file from disk; None when it vanished before it could be opened."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            stat = os.fstat(handle.fileno())
            return self.add_stream(name, handle, stat.st_size, stat.st_mtime)

    def add_bytes(self, name: str, data: bytes) -> Member:
        return self.add_stream(name, io.BytesIO(data), len(data))


@contextmanager
def open_writer(path: Path, compression: str) -> Iterator[ArchiveWriter]:
    """Write a new archive at `path` (created exclusively, readable by its owner only)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw:
        compressed: Any
        if compression == "zstd":
            compressed = zstandard.ZstdCompressor(level=3, write_checksum=True).stream_writer(
                raw, closefd=False
            )
        else:
            compressed = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0)
        with (
            compressed,
            tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as tar,
        ):
            yield ArchiveWriter(tar)
        raw.flush()
        os.fsync(raw.fileno())


READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, zstandard.ZstdError, gzip.BadGzipFile)


@contextmanager
def _open_tar(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc.strerror or exc}") from exc
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        source: BinaryIO | Any
        if magic.startswith(GZIP_MAGIC):
            source = gzip.GzipFile(fileobj=raw, mode="rb")
        elif magic == ZSTD_MAGIC:
            source = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        else:
            raise BackupError(f"{path.name} 不是 kanwu 备份文件（不是 gzip 或 zstd 压缩的 tar）")
        with source:
            try:
                tar = tarfile.open(fileobj=source, mode="r|")
            except READ_ERRORS as exc:
                raise BackupError(f"备份文件已损坏或不完整：{path.name}（{exc}）") from exc
            with tar:
                yield tar
            try:
                # tarfile stops at the first block that is not a header, which damage can
                # make look like the end: read the compressed stream to its end, so that
                # gzip's CRC (zstd's checksum) and any trailing data are checked too.
                while source.read(CHUNK):
                    pass
            except READ_ERRORS as exc:
                raise BackupError(f"备份文件已损坏或不完整：{path.name}（{exc}）") from exc


def read_members(path: Path, handle: Callable[[str, tarfile.TarInfo, IO[bytes]], None]) -> None:
    """Call `handle(name, info, stream)` for each member in archive order; the stream must be
    read (or left) before the next member. Damage raises BackupError."""
    seen: set[str] = set()
    with _open_tar(path) as tar:
        try:
            for info in tar:
                name = info.name
                if not info.isfile() or not safe_member_name(name):
                    raise BackupError(f"备份文件中有不允许的成员：{name!r}")
                if name in seen:
                    raise BackupError(f"备份文件中的成员重复出现：{name}")
                seen.add(name)
                stream = tar.extractfile(info)
                if stream is None:  # pragma: no cover - regular files always have one
                    raise BackupError(f"无法读取备份成员：{name}")
                handle(name, info, stream)
        except READ_ERRORS as exc:
            raise BackupError(f"备份文件已损坏或不完整：{path.name}（{exc}）") from exc


def copy_hashed(stream: IO[bytes], out: IO[bytes] | None = None) -> tuple[str, int, int]:
    """Read `stream` to its end (writing to `out` if given): (sha256, size, newlines)."""
    digest = hashlib.sha256()
    size = lines = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        lines += chunk.count(b"\n")
        if out is not None:
            out.write(chunk)
    return digest.hexdigest(), size, lines

"""Reading a student's zip without trusting it: each entry decompressed here under a cap on
what it really produces (the sizes it declares may lie), its checksum checked, links and
special files told apart, macOS's ``__MACOSX`` shadows left out."""

from __future__ import annotations

import bz2
import copy
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from grader.intake import notebooks as notebook_reader

MAX_ZIP_TOTAL = 20 << 20  # everything a zip may unpack to
MAX_ZIP_ENTRIES = 2000
_CHUNK = 1 << 16


class TooLarge(Exception):
    """An entry that decompresses to more than its cap."""


_LINK_TYPES = (stat.S_IFLNK,)


def entry_kind(info: zipfile.ZipInfo) -> str:
    """file, dir, link or special, from the Unix mode a zip may record (0: unknown, a file)."""
    mode = info.external_attr >> 16
    if info.is_dir():
        return "dir"
    if not mode or stat.S_ISREG(mode):
        return "file"
    return "link" if stat.S_ISLNK(mode) else "special"


def unpack(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """An entry's bytes, decompressed here with ``cap`` on what it actually produces (the
    size it declares may lie), its CRC checked.  TooLarge past the cap."""
    method = info.compress_type
    if method == zipfile.ZIP_DEFLATED:
        inflate: Any = zlib.decompressobj(-15)
    elif method == zipfile.ZIP_BZIP2:
        inflate = bz2.BZ2Decompressor()
    elif method != zipfile.ZIP_STORED:
        raise NotImplementedError(f"compression method {method}")
    raw = copy.copy(info)  # the compressed bytes as they are stored: decompressed below
    raw.compress_type, raw.file_size = zipfile.ZIP_STORED, info.compress_size
    del raw.CRC  # the stored bytes are checked after decompression
    out = bytearray()

    def take(data: bytes) -> None:
        out.extend(data)
        if len(out) > cap:
            raise TooLarge(f"more than {cap} bytes")

    with z.open(raw) as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            if method == zipfile.ZIP_STORED:
                take(chunk)
            elif method == zipfile.ZIP_DEFLATED:
                while chunk:
                    take(inflate.decompress(chunk, cap + 1 - len(out)))
                    chunk = inflate.unconsumed_tail
            else:
                take(inflate.decompress(chunk, cap + 1 - len(out)))
                while not inflate.eof and not inflate.needs_input:
                    take(inflate.decompress(b"", cap + 1 - len(out)))
            if method != zipfile.ZIP_STORED and inflate.eof:
                break
    if method == zipfile.ZIP_DEFLATED:
        take(inflate.flush())
    data = bytes(out)
    if zlib.crc32(data) != info.CRC or len(data) != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename}: damaged (its size or checksum is wrong)")
    return data


def entries(z: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [
        i
        for i in sorted(z.infolist(), key=notebook_reader.zip_order)
        if "__MACOSX" not in PurePosixPath(i.filename).parts
    ]


def student_file(path: Path, name: str, cap: int) -> bytes | None:
    """The shallowest file called ``name`` in a zip (student.txt), at most ``cap`` bytes
    of it, or None."""
    try:
        with zipfile.ZipFile(path) as z:
            if len(z.infolist()) > MAX_ZIP_ENTRIES:
                return None
            for info in entries(z):
                if PurePosixPath(info.filename).name == name:
                    if entry_kind(info) != "file":
                        return None
                    return unpack(z, info, cap)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, TooLarge, ValueError):
        return None
    return None

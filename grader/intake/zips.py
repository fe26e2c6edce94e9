"""Reading a student's zip without trusting it: each entry decompressed here under a cap on
what it really produces (the sizes it declares may lie), its checksum checked, links and
special files told apart, macOS's ``__MACOSX`` shadows left out."""

from __future__ import annotations

import bz2
import copy
import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from grader.intake import notebooks as notebook_reader

MAX_ZIP_TOTAL = 20 << 20  # everything a zip may unpack to
MAX_ZIP_ENTRIES = 2000
#: The central directory a zip may have: its entries' records (46 bytes and a name, an
#: extra field, a comment each), a kilobyte an entry allowed.
MAX_CENTRAL = MAX_ZIP_ENTRIES << 10
_CHUNK = 1 << 16


class TooLarge(Exception):
    """An entry that decompresses to more than its cap."""


class TooMany(Exception):
    """A zip of more entries (or a larger directory, or more bytes declared) than allowed."""


_END = struct.Struct("<4sHHHHIIH")  # the end of central directory record
_LOCATOR = struct.Struct("<4sIQI")  # zip64's locator, just before it
_END64 = struct.Struct("<4sQHHIIQQQQ")  # zip64's end record
_MAX_COMMENT = 0xFFFF


def declared(path: Path) -> tuple[int, int]:
    """(entries, bytes of the central directory) a zip's end record declares, read from the
    file's tail alone: counting entries costs nothing, whatever their number.  zip64's
    record when the end record defers to it.  BadZipFile when there is no end record."""
    with path.open("rb") as f:
        size = f.seek(0, 2)
        start = max(0, size - _END.size - _MAX_COMMENT)
        f.seek(start)
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _END.size > len(tail):
            raise zipfile.BadZipFile("no end of central directory")
        _, _, _, _, entries, central, offset, _ = _END.unpack_from(tail, at)
        if 0xFFFF in (entries,) or 0xFFFFFFFF in (central, offset):
            here = at - _LOCATOR.size
            if here >= 0 and tail[here : here + 4] == b"PK\x06\x07":
                record = _LOCATOR.unpack_from(tail, here)[2]
                f.seek(record)
                data = f.read(_END64.size)
                if len(data) == _END64.size and data[:4] == b"PK\x06\x06":
                    entries, central = _END64.unpack(data)[7:9]
    return entries, central


def opened(path: Path) -> zipfile.ZipFile:
    """The zip, once its end record allows it (no more entries or directory than the caps:
    a million-entry zip is refused from its last bytes, before a single entry is read), and
    its entries as read within the caps too (a record may lie about their count).  TooMany
    past a cap; BadZipFile, OSError as zipfile raises them."""
    entries, central = declared(path)
    if entries > MAX_ZIP_ENTRIES or central > MAX_CENTRAL:
        raise TooMany(f"{entries} entries, a directory of {central} bytes")
    z = zipfile.ZipFile(path)
    infos = z.infolist()
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_ZIP_TOTAL:
        z.close()
        raise TooMany(f"{len(infos)} entries")
    return z


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
        with opened(path) as z:
            for info in entries(z):
                if PurePosixPath(info.filename).name == name:
                    if entry_kind(info) != "file":
                        return None
                    return unpack(z, info, cap)
    except (
        zipfile.BadZipFile,
        OSError,
        RuntimeError,
        NotImplementedError,
        TooLarge,
        TooMany,
        ValueError,
    ):
        return None
    return None

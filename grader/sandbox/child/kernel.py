"""The C library through ctypes, and what more than one step of the child uses of it."""

from __future__ import annotations

import ctypes
import os

NOBODY = 65534

PR_SET_PDEATHSIG = 1

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_void_p,
]
libc.prctl.argtypes = [
    ctypes.c_int,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
]


class SetupError(Exception):
    """The isolation could not be built (reported to the parent, never to a student)."""


def check(ret: int, what: str) -> int:
    if ret < 0:
        err = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(err)} (errno {err})")
    return ret


def prctl(option: int, arg2: int = 0, arg3: int = 0) -> int:
    return check(libc.prctl(option, arg2, arg3, 0, 0), f"prctl({option})")

"""Landlock, where the kernel has it: the confinement of a runner without namespaces."""

from __future__ import annotations

import ctypes
import os

from .kernel import libc

SYS_LANDLOCK_CREATE_RULESET = 444
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446


def apply_landlock(workdir: str, readable: list[str]) -> bool:
    """Fallback without namespaces: allow reading only `readable`, writing only the files of
    `workdir` (none made there), no TCP, no signals or abstract sockets outside the sandbox
    (as far as the ABI goes)."""
    abi = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, 1)
    if abi < 1:
        return False
    fs_all = (1 << 13) - 1
    if abi >= 2:
        fs_all |= 1 << 13  # REFER
    if abi >= 3:
        fs_all |= 1 << 14  # TRUNCATE
    if abi >= 5:
        fs_all |= 1 << 15  # IOCTL_DEV
    attr = (ctypes.c_uint64 * 3)(fs_all, 0, 0)
    size = 8
    if abi >= 4:
        attr[1] = 1 | 2  # BIND_TCP | CONNECT_TCP, no rule: denied
        size = 16
    if abi >= 6:
        attr[2] = 1 | 2  # SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
        size = 24
    rfd = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, size, 0)
    if rfd < 0:
        return False
    file_rights = 1 | 2 | 4 | (1 << 14 if abi >= 3 else 0)  # execute write read truncate
    read_rights = 1 | 4 | 8  # execute, read file, read dir
    # The working directory is on the host's disk, not a small tmpfs: its files may be read
    # and written (each at most RLIMIT_FSIZE), but nothing made or removed in it, so what a
    # submission writes stays bounded.
    work_rights = read_rights | 2 | (1 << 14 if abi >= 3 else 0)

    class PathBeneath(ctypes.Structure):
        _pack_ = 1
        _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]

    try:
        rules = [(p, read_rights) for p in readable] + [(workdir, work_rights)]
        rules += [(d, 2 | 4) for d in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")]
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if not os.path.isdir(path):
                    rights &= file_rights
                rule = PathBeneath(rights, fd)
                libc.syscall(SYS_LANDLOCK_ADD_RULE, rfd, 1, ctypes.byref(rule), 0)
            finally:
                os.close(fd)
        return libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, rfd, 0) == 0
    finally:
        os.close(rfd)

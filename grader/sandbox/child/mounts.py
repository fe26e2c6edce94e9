"""Namespaces and the mount layout: a new, read-only root that holds only what Python and
numpy need, and a small writable tmpfs as the runner's working directory."""

from __future__ import annotations

import contextlib
import ctypes
import os

from .kernel import NOBODY, SetupError, check, libc

SANDBOX_ROOT_WORKDIR = "/sandbox"

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
AT_RECURSIVE = 0x8000
MOUNT_ATTR_RDONLY = 0x1
MOUNT_ATTR_NOSUID = 0x2
SYS_MOUNT_SETATTR = 442  # same number on every architecture (>= 424)
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}


def _mount(src: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    ret = libc.mount(
        src.encode() if src else None,
        target.encode(),
        fstype.encode() if fstype else None,
        flags,
        data.encode() if data else None,
    )
    check(ret, f"mount {src} on {target}")


def _write_proc(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def enter_namespaces(job: dict) -> str:
    """New mount/net/pid/ipc/uts namespaces and a new root; returns the workdir.

    As real root no user namespace is needed: we build the root with host privileges and
    the runner becomes `nobody` (no capability, cannot unmount anything, RLIMIT_NPROC
    applies: it would not to root).  As an ordinary user we first enter a user namespace
    (mapping our uid to 0) to get the right to mount, and the runner drops capabilities.
    """
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    owner = ""
    if os.geteuid() == 0:
        check(libc.unshare(flags), "unshare")
        owner = f",uid={NOBODY},gid={NOBODY}"
    else:
        uid, gid = os.getuid(), os.getgid()
        check(libc.unshare(CLONE_NEWUSER | flags), "unshare")
        job["userns"] = True
        _write_proc("/proc/self/setgroups", "deny")
        _write_proc("/proc/self/uid_map", f"0 {uid} 1")
        _write_proc("/proc/self/gid_map", f"0 {gid} 1")
    build_root(job)
    with contextlib.suppress(Exception):
        libc.sethostname(b"sandbox", 7)
    size = int(job["limits"]["tmpfs_bytes"])
    options = f"size={size},nr_inodes=4096,mode=0755"
    try:
        _mount("tmpfs", SANDBOX_ROOT_WORKDIR, "tmpfs", MS_NOSUID | MS_NODEV, options + owner)
    except SetupError:  # root of a user namespace where `nobody` is not mapped
        _mount("tmpfs", SANDBOX_ROOT_WORKDIR, "tmpfs", MS_NOSUID | MS_NODEV, options)
    os.chdir(SANDBOX_ROOT_WORKDIR)
    return SANDBOX_ROOT_WORKDIR


def build_root(job: dict) -> None:
    """Pivot into a read-only root that holds only what Python and numpy need.

    An allow-list: /usr, /lib*, /bin, /etc, the standard library and numpy; everything
    else (the course repository, /root, /home, /tmp, site-packages) simply is not there.
    """
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    new = job["staging"]  # an existing host directory, covered by our tmpfs
    _mount("tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,nr_inodes=4096,mode=0755")
    plan = job["root_plan"]  # [[kind, path], ...] sorted parents-first
    for kind, path in plan:
        target = new + path
        if kind == "symlink":
            if not os.path.lexists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.symlink(os.readlink(path), target)
        elif kind == "bind":
            if os.path.isdir(path):
                os.makedirs(target, exist_ok=True)
            elif not os.path.exists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                open(target, "w").close()
            _mount(path, target, None, MS_BIND | MS_REC)
        elif kind == "hide" and os.path.isdir(target):
            _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
    os.makedirs(new + SANDBOX_ROOT_WORKDIR, exist_ok=True)
    make_readonly(new)
    os.chdir(new)
    machine = os.uname().machine
    if machine not in SYS_PIVOT_ROOT:
        raise SetupError(f"pivot_root is not known on {machine}")
    check(libc.syscall(SYS_PIVOT_ROOT[machine], b".", b"."), "pivot_root")
    check(libc.umount2(b".", MNT_DETACH), "umount old root")
    os.chdir("/")


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


def make_readonly(root: str) -> None:
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, 0, 0)
    ret = libc.syscall(
        SYS_MOUNT_SETATTR,
        -100,
        root.encode(),
        AT_RECURSIVE,
        ctypes.byref(attr),
        ctypes.sizeof(attr),
    )
    if ret == 0:
        return
    # Older kernels: remount each of our mounts read-only, keeping its locked flags.
    mounts = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].encode().decode("unicode_escape")
            if point == root or point.startswith(root + "/"):
                mounts.append(point)
    for point in mounts:
        st = os.statvfs(point)
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID
        flags |= MS_NODEV if st.f_flag & os.ST_NODEV else 0
        flags |= MS_NOEXEC if st.f_flag & os.ST_NOEXEC else 0
        _mount(None, point, None, flags)

"""Child side of the sandbox: the fork server, the supervisor and the student runner.

The grader never imports this file.  `grader.sandbox.server` reads its text and sends it to a
fresh ``python -s -S -P -B`` process, which compiles it under the file name ``<sandbox>``
and calls :func:`serve`.  So no frame next to student code names a file of the grader's,
and this code may use the standard library and numpy only.

Processes (see grader/sandbox.py for the parent side and the reasoning):

* server (one per `Sandbox`): imports numpy and the usual stdlib once, then forks one
  supervisor per child session on request of the parent;
* supervisor (trusted, one per session): reads the job, builds the isolation
  (namespaces and a new root, or a temp dir), writes the student's files, forks the
  runner, reports the runner's pidfd and exit status to the parent;
* runner (untrusted once student code runs): drops every privilege, imports the
  student's modules and answers the requests in order.  Results go out in batches (one
  frame for all the requests answered within `flush` seconds), so a submission's hundreds
  of requests cost a few frames; the request running now and its phase are written to a
  shared progress slot (no syscall), which the parent reads once the runner is dead, to
  know which request hung or crashed it.  A request that printed writes a marker on
  stdout that lets the parent tell its output from the next one's.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import io
import json
import math
import mmap
import os
import resource
import signal
import socket
import struct
import sys
import time
import types

# ---------------------------------------------------------------------------- constants

NOBODY = 65534
RES_FD = 3  # the runner's result channel; the number is not a secret
SANDBOX_ROOT_WORKDIR = "/sandbox"
EXIT_CHANNEL_BROKEN = 121  # the runner could not write a frame
OUTPUT_MARK = b"\x00\x1b[sandbox-end:"  # written to stdout after a request that printed
PROGRESS = struct.Struct("<qq")  # the progress slot: (request index, phase)
PHASES = {"start": 0, "import": 1, "call": 2}  # must match server._PHASES

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

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
SYS_LANDLOCK_CREATE_RULESET = 444
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_void_p,
]
_libc.prctl.argtypes = [
    ctypes.c_int,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
]


class SetupError(Exception):
    """The isolation could not be built (reported to the parent, never to a student)."""


def _check(ret: int, what: str) -> int:
    if ret < 0:
        err = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(err)} (errno {err})")
    return ret


def _prctl(option: int, arg2: int = 0, arg3: int = 0) -> int:
    return _check(_libc.prctl(option, arg2, arg3, 0, 0), f"prctl({option})")


def _mount(src: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    ret = _libc.mount(
        src.encode() if src else None,
        target.encode(),
        fstype.encode() if fstype else None,
        flags,
        data.encode() if data else None,
    )
    _check(ret, f"mount {src} on {target}")


# ---------------------------------------------------------------------------- framing


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def send_frame(fd: int, obj: object) -> None:
    """Write one length-prefixed JSON frame (the only thing the parent reads from `fd`)."""
    data = json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii")
    _write_all(fd, struct.pack(">I", len(data)) + data)


# ---------------------------------------------------------------------------- server


def serve(sock: socket.socket) -> None:
    """Fork server main loop; `sock` is the control socket to the parent (SEQPACKET)."""
    ctl = sock.dup()
    sock.close()
    devnull = os.open(os.devnull, os.O_RDWR)
    if devnull != 0:
        os.dup2(devnull, 0)
        os.close(devnull)
    config = json.loads(ctl.recv(1 << 20))
    sys.path[:] = config["sys_path"]
    sys.dont_write_bytecode = True
    loaded = []
    for name in config["preload"]:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
            loaded.append(name)
    _init_numpy()
    if os.uname().machine == "x86_64":
        _seccomp_program(1)  # the namespaced runner is pid 1
    _forget_project(config["project"])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # supervisors are reaped by the kernel
    with contextlib.suppress(SetupError):
        _prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans come back to us and are reaped too
    ctl.send(json.dumps({"op": "hello", "pid": os.getpid(), "preloaded": loaded}).encode())
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(ctl, 65536, 8)
        except InterruptedError:
            continue
        except OSError:
            os._exit(0)
        if not msg:
            os._exit(0)  # the parent is gone
        try:
            op = json.loads(msg).get("op")
        except ValueError:
            op = None
        if op == "fork" and len(fds) == 5:
            _fork_supervisor(ctl, fds)
        elif op == "quit":
            os._exit(0)
        for fd in fds:
            os.close(fd)


def _fork_supervisor(ctl: socket.socket, fds: list[int]) -> None:
    server_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            ctl.close()
            _supervisor(server_pid, *fds)
        except BaseException:
            code = 71
        finally:
            os._exit(code)
    pidfds: list[int] = []
    with contextlib.suppress(OSError, AttributeError):
        pidfds.append(os.pidfd_open(pid))
    reply = json.dumps({"op": "forked", "pid": pid}).encode()
    try:
        socket.send_fds(ctl, [reply], pidfds)
    finally:
        for fd in pidfds:
            os.close(fd)


# ---------------------------------------------------------------------------- supervisor


def _read_job(fd: int) -> dict:
    chunks = []
    while True:
        data = os.read(fd, 1 << 20)
        if not data:
            break
        chunks.append(data)
    os.close(fd)
    return json.loads(b"".join(chunks))


def _supervisor(
    server_pid: int, job_fd: int, ctl_fd: int, res_fd: int, out_fd: int, slot_fd: int
) -> None:
    """Build the isolation, start the runner, report its pidfd and exit status."""
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server_pid:
        os._exit(72)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    job_fd, ctl_fd, res_fd, out_fd, slot_fd = _above_stdio(job_fd, ctl_fd, res_fd, out_fd, slot_fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        if fd != devnull:
            os.dup2(devnull, fd)
    keep = sorted({job_fd, ctl_fd, res_fd, out_fd, slot_fd})
    lo = 3
    for fd in keep:
        os.closerange(lo, fd)
        lo = fd + 1
    os.closerange(lo, 1 << 16)
    ctl = socket.socket(fileno=ctl_fd)
    try:
        job = _read_job(job_fd)
        namespaces = job["mode"] == "namespaces"
        workdir = _enter_namespaces(job) if namespaces else job["workdir"]
        for module, source in job["files"].items():
            # O_EXCL | O_NOFOLLOW: nothing planted in the directory is followed or reused
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(os.path.join(workdir, module + ".py"), flags, 0o644)
            with open(fd, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(source)
        if not namespaces and os.geteuid() == 0:
            # only now may the runner (`nobody`) write here; until now only root could
            with contextlib.suppress(OSError):
                os.chown(workdir, NOBODY, NOBODY)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        ctl.send(json.dumps({"op": "setup_error", "error": error}).encode())
        os._exit(73)
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 74
        try:
            os.close(go_w)
            ctl.close()
            _runner(job, workdir, res_fd, out_fd, go_r, slot_fd)
        except BaseException:
            code = 75
        finally:
            os._exit(code)
    os.close(go_r)
    os.close(res_fd)
    os.close(out_fd)
    os.close(slot_fd)
    pidfds: list[int] = []
    with contextlib.suppress(OSError, AttributeError):
        pidfds.append(os.pidfd_open(pid))
    socket.send_fds(ctl, [json.dumps({"op": "started", "pid": pid}).encode()], pidfds)
    for fd in pidfds:
        os.close(fd)
    os.write(go_w, b"g")  # the parent holds the pidfd before any student code runs
    os.close(go_w)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            status = -1
            break
    with contextlib.suppress(OSError):
        ctl.send(json.dumps({"op": "exit", "status": status}).encode())
    os._exit(0)


def _above_stdio(*fds: int) -> list[int]:
    """Move `fds` to numbers above 2, so that redirecting stdio cannot clobber them."""
    import fcntl

    moved = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds]
    for fd in fds:
        os.close(fd)
    return moved


def _write_proc(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _enter_namespaces(job: dict) -> str:
    """New mount/net/pid/ipc/uts namespaces and a new root; returns the workdir.

    As real root no user namespace is needed: we build the root with host privileges and
    the runner becomes `nobody` (no capability, cannot unmount anything, RLIMIT_NPROC
    applies: it would not to root).  As an ordinary user we first enter a user namespace
    (mapping our uid to 0) to get the right to mount, and the runner drops capabilities.
    """
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    owner = ""
    if os.geteuid() == 0:
        _check(_libc.unshare(flags), "unshare")
        owner = f",uid={NOBODY},gid={NOBODY}"
    else:
        uid, gid = os.getuid(), os.getgid()
        _check(_libc.unshare(CLONE_NEWUSER | flags), "unshare")
        job["userns"] = True
        _write_proc("/proc/self/setgroups", "deny")
        _write_proc("/proc/self/uid_map", f"0 {uid} 1")
        _write_proc("/proc/self/gid_map", f"0 {gid} 1")
    _build_root(job)
    with contextlib.suppress(Exception):
        _libc.sethostname(b"sandbox", 7)
    size = int(job["limits"]["tmpfs_bytes"])
    options = f"size={size},nr_inodes=4096,mode=0755"
    try:
        _mount("tmpfs", SANDBOX_ROOT_WORKDIR, "tmpfs", MS_NOSUID | MS_NODEV, options + owner)
    except SetupError:  # root of a user namespace where `nobody` is not mapped
        _mount("tmpfs", SANDBOX_ROOT_WORKDIR, "tmpfs", MS_NOSUID | MS_NODEV, options)
    os.chdir(SANDBOX_ROOT_WORKDIR)
    return SANDBOX_ROOT_WORKDIR


def _build_root(job: dict) -> None:
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
    _make_readonly(new)
    os.chdir(new)
    machine = os.uname().machine
    if machine not in SYS_PIVOT_ROOT:
        raise SetupError(f"pivot_root is not known on {machine}")
    _check(_libc.syscall(SYS_PIVOT_ROOT[machine], b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "umount old root")
    os.chdir("/")


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


def _make_readonly(root: str) -> None:
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID, 0, 0, 0)
    ret = _libc.syscall(
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


# ---------------------------------------------------------------------------- privileges


def _drop_capabilities() -> None:
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0:
            break
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, self
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.capset(header, data), "capset")


def _set_rlimits(limits: dict) -> None:
    cpu = int(limits["cpu_seconds"])
    for res, soft, hard in (
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, int(limits["memory_bytes"]), int(limits["memory_bytes"])),
        (resource.RLIMIT_FSIZE, int(limits["file_bytes"]), int(limits["file_bytes"])),
        (resource.RLIMIT_NOFILE, 64, 64),
        (resource.RLIMIT_NPROC, 0, 0),  # after our own forks: the student cannot fork
    ):
        resource.setrlimit(res, (soft, hard))


# seccomp: a small deny-list (x86_64 only, the numbers are per-architecture).
_SECCOMP_DENY_X86_64 = (
    57,
    58,
    56,
    435,  # fork vfork clone clone3
    59,
    322,  # execve execveat
    101,
    310,
    311,  # ptrace process_vm_readv/writev
    41,  # socket: no network of any kind
    165,
    166,
    155,
    161,
    272,
    308,  # mount umount2 pivot_root chroot unshare setns
    428,
    429,
    430,
    431,
    432,
    433,
    442,  # open_tree move_mount fs* mount_setattr
    424,
    434,
    438,  # pidfd_send_signal pidfd_open pidfd_getfd
    246,
    320,
    175,
    313,
    176,
    169,
    163,  # kexec* *_module reboot acct
    321,
    298,
    323,
    248,
    249,
    250,  # bpf perf_event_open userfaultfd keys
    303,
    304,
    425,
    426,
    427,
    103,
    135,  # *_handle_at io_uring_* syslog personality
)
_SECCOMP_OWN_PID_X86_64 = (62, 200, 234, 129, 297)  # kill tkill tgkill rt_(tg)sigqueueinfo
_SECCOMP_PRLIMIT_X86_64 = 302
_SECCOMP_PRCTL_X86_64 = 157


_SECCOMP_CACHE: dict[int, bytes] = {}


def _seccomp_program(own_pid: int) -> bytes:
    """The BPF program as packed `struct sock_filter`s (built once per pid, in the server
    for the namespaced runner, whose pid is always 1)."""
    if own_pid in _SECCOMP_CACHE:
        return _SECCOMP_CACHE[own_pid]
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM
    kill_process = 0x80000000
    prog: list[tuple[int, object, object, int]] = []  # (code, jt, jf, k); jt/jf labels

    def emit(code: int, k: int, jt: object = 0, jf: object = 0) -> None:
        prog.append((code, jt, jf, k))

    emit(ld, 4)  # arch
    emit(jeq, 0xC000003E, 0, "kill")
    emit(ld, 0)  # nr
    emit(jge, 0x40000000, "deny", 0)  # x32 ABI
    for nr in _SECCOMP_DENY_X86_64:
        emit(jeq, nr, "deny", 0)
    for nr in _SECCOMP_OWN_PID_X86_64:
        emit(jeq, nr, "own_pid", 0)
    emit(jeq, _SECCOMP_PRLIMIT_X86_64, "prlimit", 0)
    emit(jeq, _SECCOMP_PRCTL_X86_64, "prctl", 0)
    emit(ret, allow)
    labels: dict[str, int] = {}
    labels["prlimit"] = len(prog)
    emit(ld, 16)  # args[0] low: 0 means "myself"
    emit(jeq, 0, "check_hi", 0)
    labels["own_pid"] = len(prog)
    emit(ld, 16)
    emit(jeq, own_pid, "check_hi", "deny")
    labels["check_hi"] = len(prog)
    emit(ld, 20)  # args[0] high
    emit(jeq, 0, "allow", "deny")
    labels["prctl"] = len(prog)
    emit(ld, 16)
    emit(jeq, PR_SET_PDEATHSIG, "deny", "allow")
    labels["allow"] = len(prog)
    emit(ret, allow)
    labels["deny"] = len(prog)
    emit(ret, deny)
    labels["kill"] = len(prog)
    emit(ret, kill_process)

    def rel(pos: int, target: object) -> int:
        if isinstance(target, str):
            off = labels[target] - pos - 1
            if not 0 <= off < 256:
                raise SetupError("seccomp jump out of range")
            return off
        return int(target)  # type: ignore[call-overload]

    code = b"".join(
        struct.pack("=HBBI", op, rel(i, jt), rel(i, jf), k)
        for i, (op, jt, jf, k) in enumerate(prog)
    )
    _SECCOMP_CACHE[own_pid] = code
    return code


def _install_seccomp(own_pid: int) -> bool:
    """Deny exec, fork, ptrace, sockets, mounts and signals to any other process."""
    if os.uname().machine != "x86_64":
        return False
    code = _seccomp_program(own_pid)
    buf = ctypes.create_string_buffer(code, len(code))
    fprog = ctypes.create_string_buffer(struct.pack("=HxxxxxxQ", len(code) // 8,
                                                    ctypes.addressof(buf)))  # fmt: skip
    return _libc.prctl(PR_SET_SECCOMP, 2, ctypes.addressof(fprog), 0, 0) == 0


def _landlock(workdir: str, readable: list[str]) -> bool:
    """Fallback without namespaces: allow reading only `readable`, writing only the files of
    `workdir` (none made there), no TCP, no signals or abstract sockets outside the sandbox
    (as far as the ABI goes)."""
    abi = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, 1)
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
    rfd = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, size, 0)
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
                _libc.syscall(SYS_LANDLOCK_ADD_RULE, rfd, 1, ctypes.byref(rule), 0)
            finally:
                os.close(fd)
        return _libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, rfd, 0) == 0
    finally:
        os.close(rfd)


# ---------------------------------------------------------------------------- runner


def _runner(job: dict, workdir: str, res_fd: int, out_fd: int, go_r: int, slot_fd: int) -> None:
    """Untrusted side: drop privileges, then answer the requests of `job`."""
    slot = mmap.mmap(slot_fd, PROGRESS.size)  # shared with the parent; the fd goes below
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.read(go_r, 1) != b"g":  # the supervisor died before handing over our pidfd
        os._exit(76)
    os.close(go_r)
    mode = job["mode"]
    limits = job["limits"]
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    if res_fd != RES_FD:
        os.dup2(res_fd, RES_FD)
    os.closerange(RES_FD + 1, 1 << 16)
    os.chdir(workdir)
    isolation = mode if mode == "namespaces" else "rlimits-only"
    if os.getuid() == 0 and not job.get("userns"):
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)  # clears every capability
        except OSError:  # root of a user namespace without a `nobody` mapped
            _drop_capabilities()
    else:
        _drop_capabilities()
    # A change of user clears the parent-death signal: arm it again, so the runner dies with
    # its supervisor (and so with grade, even killed).  Lost in the gap, RLIMIT_CPU ends it.
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    if mode == "landlock" and _landlock(workdir, job["readable"]):
        isolation = "landlock"
    seccomp = bool(job.get("seccomp", True)) and _install_seccomp(os.getpid())
    _prctl(PR_SET_DUMPABLE, 0)
    _set_rlimits(limits)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too large file is an OSError
    signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt, as usual
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a closed pipe is an OSError
    os.environ.clear()
    os.environ.update(
        {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": workdir,
            "TMPDIR": workdir,
            "PYTHONHASHSEED": "0",
        }
    )
    project = job["project"]
    _forget_project(project, by_file=False)  # the server did it all; make sure, cheaply
    sys.path[:] = [workdir, *sys.path]
    sys.stdout = sys.__stdout__ = _text_stream(1, "wb")  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = _text_stream(2, "wb")  # type: ignore[misc]
    sys.stdin = _text_stream(0, "rb")
    sys.argv = [""]
    checks = {"project_visible": any(map(os.path.exists, project)), "seccomp": seccomp}
    modules = sorted(job["files"])
    requests = job["requests"]
    max_bytes = int(limits["max_value_bytes"])
    batch = (float(limits["flush_seconds"]), int(limits["frame_bytes"]))
    job.clear()  # the supervisor's frame, up our stack, holds the same dict
    del job, limits, project
    try:
        send_frame(RES_FD, {"ready": True, "isolation": isolation, "checks": checks})
    except OSError:
        os._exit(EXIT_CHANNEL_BROKEN)
    _answer(requests, workdir, modules, max_bytes, slot, batch)
    os._exit(0)


def _forget_project(project: list[str], by_file: bool = True) -> None:
    """Drop the project's directories from sys.path and its modules from sys.modules."""
    sys.path[:] = [p for p in sys.path if p and not any(_inside(p, q) for q in project)]
    for name, mod in list(sys.modules.items()):
        if name.partition(".")[0] in ("grader", "reference") or (
            by_file and any(_inside(getattr(mod, "__file__", None), q) for q in project)
        ):
            del sys.modules[name]


#: Bytes written through sys.stdout and sys.stderr: a request that printed gets a marker.
_PRINTED = [0]


class _Counted(io.FileIO):
    def write(self, data: object) -> int | None:  # type: ignore[override]
        n = super().write(data)  # type: ignore[arg-type]
        _PRINTED[0] += n or 0
        return n


def _text_stream(fd: int, mode: str) -> io.TextIOWrapper:
    raw = _Counted(fd, mode.replace("b", ""), closefd=False)
    if mode == "wb":
        buffered: io.BufferedWriter | io.BufferedReader = io.BufferedWriter(raw)
    else:
        buffered = io.BufferedReader(raw)
    return io.TextIOWrapper(
        buffered, encoding="utf-8", errors="backslashreplace", line_buffering=mode == "wb"
    )


def _inside(path: object, root: str) -> bool:
    if not isinstance(path, str) or not path:
        return False
    path = os.path.abspath(path)
    return path == root or path.startswith(root.rstrip("/") + "/")


def _answer(
    requests: list, workdir: str, modules: list, max_bytes: int, slot: mmap.mmap, batch: tuple
) -> None:
    """Answer `requests` in order; results leave in batches of at most `frame_bytes`, as soon
    as `flush_seconds` have passed since the last batch (0: one frame a request)."""
    flush_seconds, frame_bytes = batch
    loaded: dict[str, types.ModuleType] = {}
    failed: dict[str, dict] = {}
    paths = {os.path.join(workdir, m + ".py"): m + ".py" for m in modules}
    pending: list[bytes] = []
    size = 0
    last = time.monotonic()
    for req in requests:
        i, module, name = req["i"], req["module"], req["name"]
        slot[:] = PROGRESS.pack(i, 0)
        printed = _PRINTED[0]
        if module not in loaded and module not in failed:
            slot[:] = PROGRESS.pack(i, 1)
            try:
                loaded[module] = _import(module, workdir)
            except BaseException as exc:  # SystemExit and KeyboardInterrupt too
                failed[module] = _describe(exc, paths, ("import", module))
            _flush()
            if module in loaded:
                slot[:] = PROGRESS.pack(i, 2)
        if module in failed:
            result = dict(failed[module])
        else:
            result = _evaluate(
                loaded[module], module, name, req["args"], req["expect"], paths, max_bytes
            )
        _flush()
        result["i"] = i
        if _PRINTED[0] != printed:
            result["o"] = 1
            with contextlib.suppress(OSError):
                _write_all(1, OUTPUT_MARK + b"%d]" % i)
        data = _encode(result)
        if pending and size + len(data) + 16 > frame_bytes:
            _send_batch(pending)
            pending, size = [], 0
        pending.append(data)
        size += len(data) + 1
        now = time.monotonic()
        if now - last >= flush_seconds:
            _send_batch(pending)
            pending, size, last = [], 0, now
    if pending:
        _send_batch(pending)


def _encode(obj: dict) -> bytes:
    try:
        return json.dumps(obj, ensure_ascii=True, allow_nan=False).encode("ascii")
    except (ValueError, TypeError):
        os._exit(EXIT_CHANNEL_BROKEN)


def _send_batch(results: list[bytes]) -> None:
    """One frame ``{"results": [...]}`` of results already encoded."""
    data = b'{"results": [' + b", ".join(results) + b"]}"
    try:
        _write_all(RES_FD, struct.pack(">I", len(data)) + data)
    except OSError:
        os._exit(EXIT_CHANNEL_BROKEN)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(BaseException):
            if stream is not None:
                stream.flush()


def _import(module: str, workdir: str) -> types.ModuleType:
    path = os.path.join(workdir, module + ".py")
    existing = sys.modules.get(module)
    if isinstance(existing, types.ModuleType) and getattr(existing, "__file__", None) == path:
        return existing  # imported by another student module already
    spec = importlib.util.spec_from_file_location(module, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {module}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[module] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        sys.modules.pop(module, None)
        raise
    return mod


def _safe_str(obj: object, limit: int = 300) -> str:
    try:
        text = str(obj)
        if type(text) is not str:
            return "?"
    except BaseException:
        return "?"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: object) -> str:
    try:
        name = type(value).__name__
        if type(name) is str:
            return name[:60]
    except BaseException:
        pass
    return "object"


def _problem(key: str, **fields: str) -> dict:
    """A message the grader words in the report's language: a key of its table
    (``grader.sandbox.protocol.MESSAGES``) and the few facts it needs, as strings."""
    return {"key": key, "fields": fields}


def _error(problem: dict, where: str = "", status: str = "error") -> dict:
    return {"status": status, "where": where, **problem}


def _describe(exc: BaseException, paths: dict, doing: tuple) -> dict:
    """An error frame: exception type and message, and the student's innermost line.

    `doing` is ("import", module) or ("call", name): what the runner was at."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        try:
            filename = tb.tb_frame.f_code.co_filename
            if filename in paths:
                where = f"{paths[filename]}:{tb.tb_lineno}"
        except BaseException:
            pass
        tb = tb.tb_next
    kind = _type_name(exc)
    if type(exc) is SystemExit or isinstance(exc, SystemExit):
        try:
            code = exc.code
            shown = repr(code) if type(code) in (int, str, type(None)) else _type_name(code)
        except BaseException:
            shown = "?"
        exited = _problem("exited", code=shown[:60], doing=doing[0], subject=doing[1])
        return _error(exited, where)
    if isinstance(exc, SyntaxError):
        msg = _safe_str(getattr(exc, "msg", ""))
        file = getattr(exc, "filename", None)
        lineno = getattr(exc, "lineno", None)
        if isinstance(file, str) and file in paths and type(lineno) is int:
            where = f"{paths[file]}:{lineno}"
        return _error(_problem("exception", type=kind, message=msg), where)
    return _error(_problem("exception", type=kind, message=_safe_str(exc)), where)


def _definition_line(obj: object, paths: dict) -> str:
    try:
        code = obj.__code__  # type: ignore[attr-defined]
        if type(code) is types.CodeType and code.co_filename in paths:
            return f"{paths[code.co_filename]}:{code.co_firstlineno}"
    except BaseException:
        pass
    return ""


def _evaluate(
    module: types.ModuleType,
    modname: str,
    name: str,
    args: list | None,
    expect: str,
    paths: dict,
    max_bytes: int,
) -> dict:
    missing = object()
    doing = ("call", name)
    try:
        obj = getattr(module, name, missing)
    except BaseException as exc:
        return _describe(exc, paths, doing)
    if obj is missing:
        what = "function" if args is not None else "variable"
        return _error(_problem("no_name", module=modname, name=name, what=what), status="missing")
    where = ""
    if args is not None:
        where = _definition_line(obj, paths)
        if not callable(obj):
            return _error(_problem("not_function", name=name, **_brief(obj)), where)
        try:
            value = obj(*[float(a) for a in args])
        except BaseException as exc:
            return _describe(exc, paths, doing)
    else:
        value = obj
    try:
        converted, problem = _convert(value, expect, max_bytes)
    except BaseException as exc:
        return _describe(exc, paths, doing)
    if problem:
        return _error(problem, where)
    return {"status": "ok", "value": converted}


# ---------------------------------------------------------------------------- values

_np: types.ModuleType | None = None
_NP_NUMBERS: frozenset = frozenset()
_NP_BOOL: type | None = None
_NP_ARRAY: type | None = None


def _init_numpy() -> None:
    """Take numpy's exact scalar types once, in the server, before any student code."""
    global _np, _NP_NUMBERS, _NP_BOOL, _NP_ARRAY
    try:
        import numpy
    except Exception:  # numpy is optional for the runner
        return
    _np = numpy
    _NP_NUMBERS = frozenset(
        t for t in set(numpy.sctypeDict.values()) if issubclass(t, (numpy.integer, numpy.floating))
    )
    _NP_BOOL = numpy.bool_
    _NP_ARRAY = numpy.ndarray


def _brief(value: object) -> dict:
    """What a value is, as fields of a message (form, type, detail), running no student code
    (no repr of unknown types); the grader words it."""
    t = type(value)
    if t is str:
        text = value if len(value) <= 40 else value[:39] + "…"  # type: ignore[arg-type, index]
        return {"form": "str", "type": "str", "detail": repr(text)}
    if t in (float, complex, bool, type(None)):
        return {"form": "plain", "type": t.__name__, "detail": repr(value)}
    if t is int:
        if abs(value) < 10**30:  # type: ignore[arg-type]
            return {"form": "plain", "type": "int", "detail": str(value)}
        return {"form": "bigint", "type": "int", "detail": ""}
    if t in (list, tuple, dict, set, frozenset):
        return {"form": "container", "type": t.__name__, "detail": str(len(value))}  # type: ignore[arg-type]
    if _NP_ARRAY is not None and t is _NP_ARRAY:
        shape = str(tuple(value.shape))  # type: ignore[attr-defined]
        return {"form": "array", "type": "ndarray", "detail": shape}
    if t in _NP_NUMBERS or (_NP_BOOL is not None and t is _NP_BOOL):
        return {"form": "numpy", "type": t.__name__, "detail": ""}
    if isinstance(value, types.FunctionType):
        return {"form": "function", "type": "function", "detail": ""}
    return {"form": "object", "type": _type_name(value), "detail": ""}


def _returned(value: object, expected: str) -> dict:
    return _problem("returned", expected=expected, **_brief(value))


def _number(value: object) -> tuple[float | None, dict | None]:
    """Exact-type check, then float() on a trusted type: nothing rigged gets through."""
    t = type(value)
    if t is float:
        x = value
    elif t is int:
        try:
            x = float(value)  # type: ignore[arg-type]
        except OverflowError:
            return None, _problem("int_too_large")
    elif t in _NP_NUMBERS:
        x = float(value)  # type: ignore[arg-type]
    elif _NP_ARRAY is not None and t is _NP_ARRAY:
        if value.size != 1 or value.dtype.kind not in "iuf":  # type: ignore[attr-defined]
            return None, _returned(value, "number")
        x = float(value.reshape(-1)[0])  # type: ignore[attr-defined]
    else:
        return None, _returned(value, "number")
    if not math.isfinite(x):  # type: ignore[arg-type]
        return None, _problem("not_finite", value=repr(x))
    return float(x), None  # type: ignore[arg-type]


def _convert(value: object, expect: str, max_bytes: int) -> tuple[object, dict | None]:
    """(plain JSON value, None) or (None, the problem as a message key and fields)."""
    if expect == "number":
        return _number(value)
    if expect == "numbers":
        if type(value) is not dict:
            return None, _returned(value, "numbers")
        out: dict[str, float] = {}
        for key, item in list(value.items()):  # type: ignore[attr-defined]
            if type(key) is not str:
                return None, _problem("bad_key", **_brief(key))
            x, problem = _number(item)
            if problem:
                problem["fields"]["at"] = key[:40]
                return None, problem
            out[key] = x  # type: ignore[assignment]
        value = out
    elif expect in ("text", "formula"):
        if expect == "formula" and type(value) in (int, float):  # a number, unquoted: its text
            value = repr(value)
        if type(value) is not str:
            return None, _returned(value, "str")
    elif expect == "json":
        value, problem = _jsonable(value, 0, max_bytes)
        if problem:
            return None, problem
    else:
        return None, _problem("unknown_expect", expect=str(expect)[:40])
    size = len(json.dumps(value, ensure_ascii=True, allow_nan=False))
    if size > max_bytes:
        return None, _problem("too_big", size=str(size), limit=str(max_bytes))
    return value, None


def _jsonable(value: object, depth: int, max_bytes: int) -> tuple[object, dict | None]:
    if depth > 20:
        return None, _problem("too_deep")
    t = type(value)
    if value is None or t in (bool, str):
        return value, None
    if t is int:
        if abs(value) < 2**53:  # type: ignore[arg-type]
            return value, None
        return _number(value)
    if t is float or t in _NP_NUMBERS or t is _NP_ARRAY:
        if t in _NP_NUMBERS and issubclass(t, _np.integer):  # type: ignore[union-attr]
            return _jsonable(int(value), depth, max_bytes)  # type: ignore[call-overload]
        if t is _NP_ARRAY:
            if value.dtype.kind not in "biuf" or value.size > max_bytes:  # type: ignore[attr-defined]
                return None, _returned(value, "values")
            return _jsonable(value.tolist(), depth, max_bytes)  # type: ignore[attr-defined]
        return _number(value)
    if _NP_BOOL is not None and t is _NP_BOOL:
        return bool(value), None
    if t in (list, tuple, set, frozenset):
        if len(value) > max_bytes:  # type: ignore[arg-type]
            return None, _problem("too_large", **_brief(value))
        items = []
        for item in list(value):  # type: ignore[call-overload]
            conv, problem = _jsonable(item, depth + 1, max_bytes)
            if problem:
                return None, problem
            items.append(conv)
        if t in (set, frozenset):
            with contextlib.suppress(TypeError):
                items.sort(key=lambda v: (type(v).__name__, v))
        return items, None
    if t is dict:
        if len(value) > max_bytes:  # type: ignore[arg-type]
            return None, _problem("too_large", **_brief(value))
        out = {}
        for key, item in list(value.items()):  # type: ignore[attr-defined]
            if type(key) is not str:
                return None, _problem("bad_key", **_brief(key))
            conv, problem = _jsonable(item, depth + 1, max_bytes)
            if problem:
                return None, problem
            out[key] = conv
        return out, None
    return None, _returned(value, "plain")

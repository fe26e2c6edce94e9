"""The seccomp filter: a small deny-list of system calls (x86_64 only, the numbers are
per-architecture); elsewhere none is installed, and the runner says so."""

from __future__ import annotations

import ctypes
import os
import struct

from .kernel import PR_SET_PDEATHSIG, SetupError, libc

PR_SET_SECCOMP = 22


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


def seccomp_program(own_pid: int) -> bytes:
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


def install_seccomp(own_pid: int) -> bool:
    """Deny exec, fork, ptrace, sockets, mounts and signals to any other process."""
    if os.uname().machine != "x86_64":
        return False
    code = seccomp_program(own_pid)
    buf = ctypes.create_string_buffer(code, len(code))
    fprog = ctypes.create_string_buffer(struct.pack("=HxxxxxxQ", len(code) // 8,
                                                    ctypes.addressof(buf)))  # fmt: skip
    return libc.prctl(PR_SET_SECCOMP, 2, ctypes.addressof(fprog), 0, 0) == 0

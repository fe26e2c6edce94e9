"""Which isolation a sandbox gets, found by starting a child of each kind, and said when weaker.

* ``"namespaces"``: new mount, network, pid, ipc and uts namespaces (plus a user
  namespace when we are not root).  The runner's root is a read-only tmpfs holding only
  /usr, /lib*, /bin, /etc, four /dev nodes, the standard library and numpy (the rest of
  site-packages, the course repository, /root, /home, /tmp and /proc are not there), and
  a small writable tmpfs ``/sandbox`` as working directory.  It is pid 1 of its pid
  namespace, so it sees and can signal no process of ours; there is no network.  As root
  the runner becomes ``nobody`` (no capability, RLIMIT_NPROC applies, host files are not
  its own); otherwise it drops its namespace capabilities.  no_new_privs is set, a
  seccomp filter (x86_64) denies exec, fork, ptrace, sockets, mounts, namespace changes
  and signals to other processes, and rlimits bound CPU, memory, file size, open files
  and processes (RLIMIT_NPROC=0: no fork, no thread).
* ``"landlock"`` / ``"rlimits-only"``: no namespaces.  A fresh temp working directory,
  a scrubbed environment, its own session, ``nobody`` if we are root, the rlimits and the
  seccomp filter, and where the kernel has it Landlock (read only the system, Python and
  site-packages; write only the working directory; no TCP; no signals out).
  ``Sandbox.warning`` then holds a one-line notice (en / ru) for the command line.

What a child got is what it reports in its first frame, not what was asked: where it could
install no seccomp filter (aarch64: the deny-list is x86_64's), the isolation's name ends in
``-without-seccomp``, the warning says so, and ``isolation="namespaces"`` refuses it.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from grader.sandbox.protocol import SandboxError
from reference.i18n import FALLBACK, LANGUAGES, Text, pick, t

#: What ``Sandbox(isolation=...)`` may ask for → the modes tried, the strongest first.
ORDER = {
    "auto": ["namespaces", "landlock"],
    "namespaces": ["namespaces"],
    "landlock": ["landlock"],
    "rlimits-only": ["rlimits"],
}
#: Added to the isolation's name when the child could install no seccomp filter.
NO_SECCOMP = "-without-seccomp"
#: The isolations weaker than namespaces (without NO_SECCOMP): each has its notice,
#: ``isolation.weaker.<name>`` in the catalogue.
_WEAKER = ("landlock", "rlimits-only")


def choose(want: str, probe: Callable[[str], dict]) -> tuple[str, str]:
    """The first mode tried for `want` whose child (started by `probe`, which returns its
    "ready" frame) is what was asked: (that mode, the isolation it got); else SandboxError."""
    errors = []
    for mode in ORDER[want]:
        try:
            ready = probe(mode)
        except SandboxError as exc:
            errors.append(f"{mode}: {exc}")
            continue
        got = ready.get("isolation")
        checks = ready.get("checks") or {}
        if mode == "namespaces" and (got != "namespaces" or checks.get("project_visible")):
            errors.append("namespaces: the course repository stayed visible")
            continue
        isolation = got if got in ("namespaces", "landlock") else "rlimits-only"
        if not checks.get("seccomp"):  # the child says whether its filter went in
            if want == "namespaces":
                errors.append(
                    f"namespaces: no seccomp filter is installed on this machine "
                    f"({os.uname().machine}): exec, fork and sockets would be left open"
                )
                continue
            isolation += NO_SECCOMP
        return mode, isolation
    raise SandboxError("no sandbox works here: " + "; ".join(errors))


def notices(isolation: str) -> list[Text]:
    """What a person should know of `isolation`, in every language: nothing for namespaces
    with their seccomp filter."""
    base = isolation.removesuffix(NO_SECCOMP)
    said: list[Text] = [t(f"isolation.weaker.{base}")] if base in _WEAKER else []
    if isolation.endswith(NO_SECCOMP):
        said.append(t("isolation.no_seccomp"))
    return said


def warning(isolation: str) -> str:
    """The notices on one line, each in every language, the fallback language first
    ("English / Russian; ..."); empty when fully isolated."""
    langs = dict.fromkeys((FALLBACK, *LANGUAGES))
    return "; ".join(" / ".join(pick(text, lang) for lang in langs) for text in notices(isolation))

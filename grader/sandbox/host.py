"""Where things are on the host: the standard library, numpy, site-packages and the course
repository, and from them the plan of a namespace child's new root (what it binds, what it
hides) and what Landlock lets a child without namespaces read."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import site
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

#: This project's top-level packages: hidden from student code like the course repository.
PACKAGES = ("reference", "grader", "publish", "cli")


def _real(path: str) -> str:
    return os.path.realpath(path)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


@dataclass(frozen=True)
class HostPaths:
    project: list[str]  # the course repository, or our two packages when installed
    sys_path: list[str]
    root_plan: list[list[str]]  # [kind, path]: "bind", "hide" or "symlink", parents first
    readable: list[str]  # for Landlock


def host_paths() -> HostPaths:
    """Where the standard library, numpy, site-packages and the course repository are."""
    repo = _real(str(Path(__file__).resolve().parents[2]))
    if os.path.basename(repo) in ("site-packages", "dist-packages"):  # a plain install
        project = [os.path.join(repo, name) for name in PACKAGES]
    else:
        project = [repo]
        prefix = _real(sys.prefix)
        if _inside(prefix, repo):  # a venv made in the checkout, as the README's quick start does:
            # everything of the checkout but the venv (numpy lives there)
            entries = (os.path.join(repo, name) for name in sorted(os.listdir(repo)))
            project = [p for p in entries if not _inside(prefix, p)]
    stdlib = [_real(os.path.dirname(os.__file__))]
    for key in ("stdlib", "platstdlib"):
        with contextlib.suppress(KeyError):
            stdlib.append(_real(sysconfig.get_paths()[key]))
    stdlib += [_real(p) for p in sys.path if p.endswith("lib-dynload") and os.path.isdir(p)]
    numpy_dirs: list[str] = []
    spec = importlib.util.find_spec("numpy")
    if spec is not None and spec.submodule_search_locations:
        numpy_dir = _real(next(iter(spec.submodule_search_locations)))
        numpy_dirs.append(numpy_dir)
        libs = os.path.join(os.path.dirname(numpy_dir), "numpy.libs")
        if os.path.isdir(libs):
            numpy_dirs.append(libs)
    sites: list[str] = []
    with contextlib.suppress(Exception):
        sites += [_real(p) for p in site.getsitepackages()]
    with contextlib.suppress(Exception):
        sites.append(_real(site.getusersitepackages()))
    sites += [
        _real(p) for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")
    ]
    sites += [os.path.dirname(d) for d in numpy_dirs]
    # The standard library's own folder holds the base interpreter's site-packages: in a venv
    # made from it (pyenv's, say) that is not among the venv's sites, yet is bound with it.
    sites += [
        os.path.join(path, name)
        for path in stdlib
        for name in ("site-packages", "dist-packages")
        if os.path.isdir(os.path.join(path, name))
    ]
    sys_path = list(dict.fromkeys(stdlib))
    if numpy_dirs:
        sys_path.append(os.path.dirname(numpy_dirs[0]))
    sys_path = [p for p in sys_path if os.path.isdir(p) and not any(_inside(p, q) for q in project)]

    plan: list[list[str]] = []

    def visible(path: str) -> bool:
        best, kind = "", "hide"
        for k, p in plan:
            if _inside(path, p) and len(p) > len(best):
                best, kind = p, k
        return bool(best) and kind == "bind"

    for top in ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc"):
        if os.path.islink(top):
            plan.append(["symlink", top])
        elif os.path.isdir(top):
            plan.append(["bind", top])
    for dev in ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"):
        if os.path.exists(dev):
            plan.append(["bind", dev])
    for path in dict.fromkeys(stdlib):
        if os.path.isdir(path) and not visible(path):
            plan.append(["bind", path])
    for path in dict.fromkeys([*sites, *project]):
        if visible(path):
            plan.append(["hide", path])
    for path in numpy_dirs:
        if not visible(path):
            plan.append(["bind", path])
    plan.sort(key=lambda entry: entry[1].rstrip("/").count("/"))
    readable = [p for k, p in plan if k == "bind"]
    return HostPaths(project, sys_path, plan, readable)

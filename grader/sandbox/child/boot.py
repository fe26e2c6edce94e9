"""The fork server's first code: the rest of the child package, carried as text, imported by name.

:mod:`grader.sandbox.forkserver` starts ``python -c BOOT``, which compiles the text of this file
as ``<sandbox>`` and calls :func:`serve`.  The next message on the control socket maps each
other module of ``grader/sandbox/child/`` to its text: each is compiled as ``<sandbox.NAME>``
and imported as ``_sandbox.NAME`` (the package ``_sandbox`` itself from ``__init__``), so the
modules import one another relatively, as they do in the source tree.  No file of the
grader's is opened here, and no frame names one.  Standard library only.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import socket
import sys
import types
from importlib.machinery import ModuleSpec

PACKAGE = "_sandbox"


class Carried:
    """Finds and runs the carried modules (a meta path finder and its loader, duck-typed)."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources  # module name ("__init__" for the package) -> source text

    def name(self, fullname: str) -> str | None:
        if fullname == PACKAGE:
            return "__init__"
        package, _, name = fullname.partition(".")
        if package == PACKAGE and name in self.sources and name != "__init__":
            return name
        return None

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> ModuleSpec | None:
        name = self.name(fullname)
        if name is None:
            return None
        package = name == "__init__"
        return importlib.util.spec_from_loader(fullname, self, is_package=package)  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: types.ModuleType) -> None:
        name = self.name(module.__name__)
        assert name is not None
        where = "<sandbox>" if name == "__init__" else f"<sandbox.{name}>"
        exec(compile(self.sources[name], where, "exec"), module.__dict__)


def serve(sock: socket.socket) -> None:
    """Import every carried module, then run the fork server on `sock` (the control socket)."""
    sources = json.loads(sock.recv(1 << 20))
    finder = Carried(sources)
    sys.meta_path.insert(0, finder)
    try:
        for name in sorted(sources):
            if name != "__init__":
                importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.meta_path.remove(finder)  # all of it is imported: no student import meets it
    sys.modules[f"{PACKAGE}.forkserver"].serve(sock)

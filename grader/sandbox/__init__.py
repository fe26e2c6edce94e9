"""The only place student code runs, and the rules for what comes back from it.

Everything outside this package imports from here, never from its modules:

* :class:`Sandbox` runs student modules in isolated children (:mod:`.server`, the API; the
  fork server and its children as processes, :mod:`.processes` and :mod:`.children`; one
  child's session, :mod:`.session`; what the runner writes, read back, :mod:`.frames`; the
  host's paths, :mod:`.host`; the isolation achieved and its warning, :mod:`.isolation`).
  The code that runs in them, the package :mod:`.child` (mount layout, privileges and
  limits, seccomp, Landlock, the runner and its values, the fork server's loop), is sent to
  the fork server as text, never imported there by its file;
* :class:`Request`, :class:`Outcome`, :class:`Limits`, :class:`Budget` (one submission's
  time, across runs), :class:`SandboxError` describe a run
  (:mod:`.protocol`);
* :func:`checked_value`, :func:`outcome_of`, :func:`clean_text` and :func:`clean_where`
  check what comes back, whoever produced it (:mod:`.protocol`).
"""

from grader.sandbox.protocol import (
    EXPECTS,
    MAX_SOURCE_BYTES,
    STATUSES,
    Budget,
    InvalidFrame,
    Limits,
    Outcome,
    Request,
    SandboxError,
    checked_value,
    clean_text,
    clean_where,
    outcome_of,
)
from grader.sandbox.server import Sandbox

__all__ = [
    "EXPECTS",
    "MAX_SOURCE_BYTES",
    "STATUSES",
    "Budget",
    "InvalidFrame",
    "Limits",
    "Outcome",
    "Request",
    "Sandbox",
    "SandboxError",
    "checked_value",
    "clean_text",
    "clean_where",
    "outcome_of",
]

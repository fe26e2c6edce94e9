"""Child side of the sandbox: the fork server, the supervisor and the student runner.

The grader never imports this package.  :mod:`grader.sandbox.forkserver` reads its files and
sends them as text to a fresh ``python -s -S -P -B`` process: :mod:`.boot` first, compiled as
``<sandbox>``, then the other modules, each compiled as ``<sandbox.NAME>`` and imported as
``_sandbox.NAME`` (they import one another relatively).  So no frame next to student code
names a file of the grader's, and this code may use the standard library and numpy only
(tests/test_sandbox.py reads their imports).

Processes (see :mod:`grader.sandbox.server` for the parent side and the reasoning):

* server (one per `Sandbox`, :mod:`.forkserver`): imports numpy and the usual stdlib once,
  then forks one supervisor per child session on request of the parent;
* supervisor (trusted, one per session, :mod:`.supervisor`): reads the job, builds the
  isolation (namespaces and a new root, :mod:`.mounts`, or a temp dir), writes the
  student's files, forks the runner, reports the runner's pidfd and exit status to the
  parent;
* runner (untrusted once student code runs, :mod:`.runner`): drops every privilege
  (:mod:`.privileges`, :mod:`.landlock`, :mod:`.seccomp`), imports the student's modules and
  answers the requests in order (:mod:`.answers`, its values made plain JSON by
  :mod:`.values`).  Results go out in batches (one frame for all the requests answered
  within `flush` seconds, :mod:`.framing`), so a submission's hundreds of requests cost a
  few frames; the request running now and its phase are written to a shared progress slot
  (no syscall), which the parent reads once the runner is dead, to know which request hung
  or crashed it.  A request that printed writes a marker on stdout that lets the parent
  tell its output from the next one's.

The C library and the numbers several steps share are in :mod:`.kernel`.
"""

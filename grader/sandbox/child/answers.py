"""Answering the requests in order: import the student's modules, evaluate, describe what
failed, tell each request's output apart, and send the results in batches."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import mmap
import os
import sys
import time
import types

from .framing import OUTPUT_MARK, PROGRESS, encode, send_batch, write_all
from .values import brief, convert, message, type_name

#: Bytes written through sys.stdout and sys.stderr: a request that printed gets a marker.
_PRINTED = [0]


class _Counted(io.FileIO):
    def write(self, data: object) -> int | None:  # type: ignore[override]
        n = super().write(data)  # type: ignore[arg-type]
        _PRINTED[0] += n or 0
        return n


def text_stream(fd: int, mode: str) -> io.TextIOWrapper:
    raw = _Counted(fd, mode.replace("b", ""), closefd=False)
    if mode == "wb":
        buffered: io.BufferedWriter | io.BufferedReader = io.BufferedWriter(raw)
    else:
        buffered = io.BufferedReader(raw)
    return io.TextIOWrapper(
        buffered, encoding="utf-8", errors="backslashreplace", line_buffering=mode == "wb"
    )


def answer(
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
                write_all(1, OUTPUT_MARK + b"%d]" % i)
        data = encode(result)
        if pending and size + len(data) + 16 > frame_bytes:
            send_batch(pending)
            pending, size = [], 0
        pending.append(data)
        size += len(data) + 1
        now = time.monotonic()
        if now - last >= flush_seconds:
            send_batch(pending)
            pending, size, last = [], 0, now
    if pending:
        send_batch(pending)


def _flush() -> None:
    """Push what the request printed into the pipe: each stream once (stdout and stderr are
    two, unless the student's code replaced one), whatever its flush raises ignored.  After
    every request: no context manager, no second flush of the same stream."""
    streams = (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)
    for stream in {id(s): s for s in streams if s is not None}.values():
        try:  # noqa: SIM105  (contextlib.suppress: a context manager a stream a request)
            stream.flush()
        except BaseException:
            pass


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
    kind = type_name(exc)
    if type(exc) is SystemExit or isinstance(exc, SystemExit):
        try:
            code = exc.code
            shown = repr(code) if type(code) in (int, str, type(None)) else type_name(code)
        except BaseException:
            shown = "?"
        exited = message("exited", code=shown[:60], doing=doing[0], subject=doing[1])
        return _error(exited, where)
    if isinstance(exc, SyntaxError):
        msg = _safe_str(getattr(exc, "msg", ""))
        file = getattr(exc, "filename", None)
        lineno = getattr(exc, "lineno", None)
        if isinstance(file, str) and file in paths and type(lineno) is int:
            where = f"{paths[file]}:{lineno}"
        return _error(message("exception", type=kind, message=msg), where)
    return _error(message("exception", type=kind, message=_safe_str(exc)), where)


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
        return _error(message("no_name", module=modname, name=name, what=what), status="missing")
    where = ""
    if args is not None:
        where = _definition_line(obj, paths)
        if not callable(obj):
            return _error(message("not_function", name=name, **brief(obj)), where)
        try:
            value = obj(*[float(a) for a in args])
        except BaseException as exc:
            return _describe(exc, paths, doing)
    else:
        value = obj
    try:
        converted, problem = convert(value, expect, max_bytes)
    except BaseException as exc:
        return _describe(exc, paths, doing)
    if problem:
        return _error(problem, where)
    return {"status": "ok", "value": converted}

"""One session: a child of the fork server answers a run's requests in order until done, or
until one of them fails it, and that one gets why (what it printed, and what it dooms)."""

from __future__ import annotations

import dataclasses
import os
import signal
import time

from grader.sandbox.children import Child, await_status, finish, kill, pump, read_output, wait_ready
from grader.sandbox.frames import EXIT_CHANNEL_BROKEN, PHASES, PROGRESS
from grader.sandbox.protocol import (
    Budget,
    InvalidFrame,
    Limits,
    Outcome,
    Request,
    SandboxError,
    outcome_of,
)
from reference.i18n import Text, pick, t

#: The runner sends the results it has every this many seconds (and at the end): a
#: submission's hundreds of requests then cost a few frames, not one each.  A request's
#: timeout counts from the last batch, plus this.
FLUSH_SECONDS = 0.02
#: What a session learnt fails whatever the child: a module's import or a function's call.
Doomed = dict[str | tuple[str, str], tuple[Outcome, int]]


def requests_of(reqs: list[Request], todo: list[int]) -> list[dict]:
    """The requests `todo` as the child is told them."""
    return [
        {
            "i": k,
            "module": reqs[k].module,
            "name": reqs[k].name,
            "args": None if reqs[k].args is None else list(reqs[k].args or ()),
            "expect": reqs[k].expect,
        }
        for k in todo
    ]


def answer(
    child: Child,
    reqs: list[Request],
    todo: list[int],
    outcomes: list[Outcome | None],
    doomed: Doomed,
    limits: Limits,
    budget: Budget | None,
    end: float | None,
    careful: bool,
    flush: float,
) -> bool:
    """One child answers `todo` in order until done or until one request fails it (or
    the budget, which ends at `end`, runs out); returns whether the next child should
    send one frame a request (``careful``).

    Results come in batches.  When the child dies or is killed, the progress slot says
    which request it was at: that one gets the outcome, the ones before it whose batch
    never came are left for the next child.  A frame that breaks the protocol is
    refused; unless ``careful`` already, the requests left are run again one frame
    each, so that the error lands on the request that wrote it.  (`flush`: how often the
    child sends what it has; the child is finished here, whatever happens.)
    """
    try:
        wait_ready(child)
        pos = 0
        seen = time.monotonic()
        while pos < len(todo):
            try:
                while child.frames and pos < len(todo):
                    pos = take_batch(child, child.frames.pop(), reqs, todo, pos, outcomes, limits)
                    seen = time.monotonic()
            except InvalidFrame as exc:
                kill(child)
                if not careful:
                    return True
                refused_frame(child, exc, reqs, todo, pos, outcomes, doomed)
                return careful
            if pos == len(todo):
                break
            if child.eof:
                died(child, reqs, todo, pos, outcomes, doomed, limits)
                return careful
            deadline = seen + limits.call_timeout + flush
            if end is not None:
                deadline = min(deadline, end)
            left = deadline - time.monotonic()
            if left > 0:
                pump(child, left)
                continue
            kill(child)
            read_output(child, 1 << 20)
            k, phase = progress(child, todo, pos)
            if end is not None and time.monotonic() >= end:
                assert budget is not None
                outcomes[k] = budget.outcome()  # not this call's fault alone: the budget's
                return careful
            timed_out(child, reqs[k], k, phase, outcomes, doomed, limits)
            return careful
    finally:
        finish(child)
    return careful


def refused_frame(
    child: Child,
    exc: InvalidFrame,
    reqs: list[Request],
    todo: list[int],
    pos: int,
    outcomes: list[Outcome | None],
    doomed: Doomed,
) -> None:
    """A frame that broke the protocol, sent one request a frame: its request's error."""
    k = todo[pos]
    msg = t("sandbox.program_wrote_sandbox_result_channel", exc=exc)
    at, phase = progress(child, todo, pos)
    settle(child, reqs[k], k, phase if at == k else "call", "error", msg, outcomes, doomed)


def died(
    child: Child,
    reqs: list[Request],
    todo: list[int],
    pos: int,
    outcomes: list[Outcome | None],
    doomed: Doomed,
    limits: Limits,
) -> None:
    """The child ended before answering: the request it was at gets why."""
    await_status(child, 2.0)
    if child.status is None:  # not the student: it cannot reach the supervisor
        raise SandboxError("the sandbox supervisor ended without a report")
    k, phase = progress(child, todo, pos)
    req = reqs[k]
    doing = (
        t("sandbox.importing_py_2", module=req.module)
        if phase == "import"
        else t("sandbox.computing_2", name=req.name)
    )
    read_output(child, 1 << 20)
    died = death_message(child.status, doing, limits)
    settle(child, req, k, phase, "error", died, outcomes, doomed)


def timed_out(
    child: Child,
    req: Request,
    k: int,
    phase: str,
    outcomes: list[Outcome | None],
    doomed: Doomed,
    limits: Limits,
) -> None:
    """The call (or the import) ``k`` ran past its time: a timeout, said as which."""
    secs = f"{limits.call_timeout:g}"
    if phase == "import":
        msg = t("sandbox.importing_py_took_longer_than", module=req.module, secs=secs)
    else:
        msg = t("sandbox.did_not_finish_within_endless", name=req.name, secs=secs)
    settle(child, req, k, phase, "timeout", msg, outcomes, doomed)


def settle(
    child: Child,
    req: Request,
    k: int,
    phase: str,
    status: str,
    msg: Text,
    outcomes: list[Outcome | None],
    doomed: Doomed,
) -> None:
    """Request ``k``'s outcome, with what it printed, and what it dooms for the rest."""
    outcome = failed(status, msg, child.output.take(k).text())
    outcomes[k] = outcome
    doom(doomed, req, outcome, k, phase)


def take_batch(
    child: Child,
    frame: dict,
    reqs: list[Request],
    todo: list[int],
    pos: int,
    outcomes: list[Outcome | None],
    limits: Limits,
) -> int:
    """Record a batch of results, which must answer ``todo[pos:]`` in order; the new pos."""
    results = frame.get("results")
    if type(results) is not list or not results or len(results) > len(todo) - pos:
        raise InvalidFrame("a frame out of order")
    for result in results:
        k = todo[pos]
        if type(result) is not dict or type(result.get("i")) is not int or result["i"] != k:
            raise InvalidFrame("a frame out of order")
        output = ""
        if result.get("o"):
            read_output(child, 1 << 20, until=k)
            output = child.output.take(k).text()
        outcomes[k] = outcome_of(result, reqs[k].expect, limits.max_value_bytes, output)
        pos += 1
    return pos


def progress(child: Child, todo: list[int], pos: int) -> tuple[int, str]:
    """Which request the (dead) runner was at, and in which phase, from its progress slot;
    the first request not answered when the slot says nothing believable."""
    at, phase = PROGRESS.unpack(child.slot[: PROGRESS.size])
    if at in todo[pos:] and phase in PHASES:
        return at, PHASES[phase]
    return todo[pos], "call"


def doom(doomed: Doomed, req: Request, outcome: Outcome, k: int, phase: str) -> None:
    """The requests after `k` of a module whose import failed the child, or of a function
    whose call did, share its outcome (without its output)."""
    key = req.module if phase == "import" else (req.module, req.name)
    doomed[key] = (dataclasses.replace(outcome, output=""), k)


def death_message(status: int | None, doing: Text, limits: Limits) -> Text:
    """Why the runner ended before answering, in every language (`doing`: what it was at)."""

    def says(what: Text) -> Text:
        return t("sandbox.while", what=what, doing=doing)

    stopped = says(t("sandbox.program_stopped_unexpectedly"))
    if status is None or status < 0:
        return stopped
    if os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
        if code == EXIT_CHANNEL_BROKEN:
            return says(t("sandbox.program_broke_sandbox_result_channel"))
        if code == 0:
            return says(t("sandbox.program_ended_without_giving_answer"))
        return says(t("sandbox.program_exited_os_exit", code=code))
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return says(t("sandbox.program_used_more_than_cpu", cpu_seconds=limits.cpu_seconds))
        if sig == signal.SIGSEGV:
            return says(t("sandbox.program_crashed_segmentation_fault"))
        if sig == signal.SIGKILL:
            return says(t("sandbox.program_was_killed_out_cpu"))
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return says(t("sandbox.program_was_killed_by", name=name))
    return stopped


def failed(status: str, text: Text, output: str = "") -> Outcome:
    """An Outcome without a value, its message in every language (`error` in English)."""
    return Outcome(status, error=pick(text, "en"), output=output, text=text)

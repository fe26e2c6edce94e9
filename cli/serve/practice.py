"""Practice before the deadline: fresh variants of any question, judged by the grader.

Routes for ``make_app(..., pages=Practice(...).routes())`` (Starlette), over the course, the
rounds' SQLite file (practice's own tables: :mod:`cli.serve.practice_store`) and the teacher's
token::

    GET  /api/practice                          the questions one may practise
    GET  /api/practice/<student>                the student's progress, question by question
    POST /api/practice/<student>/<question>     a fresh variant: {variant, prompt, values, …}
    POST /api/practice/<student>/<question>/<variant>/answer     {answer} → {verdict, feedback}
    POST /api/practice/<student>/<question>/<variant>/solution   → {answer}; the variant closes
    GET  /api/teacher/practice                  teacher: per question, who practised, success
                                                rate, the most frequent diagnoses
    GET  /practice, /teacher/practice           the pages (``?lang=ru|en``)
    GET  /practice/static/<name>                their script and stylesheet

A variant and its judging are the grader's (grader/practice.py): the answer becomes a
one-question module the sandbox runs, scored by the question's kind at the variant's id.  No
response but ``solution``'s holds a variant's answer; a closed variant takes no answer.  A
grader failure is 503 with ``verdict: unavailable``, never recorded as an attempt.  Every
sentence is the catalogue's (``practice`` domain); the pages put what a student typed in as
text, never as HTML.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from cli.html.stats import TOP, diagnosis
from cli.serve.http import Refusal, json_body, language, refused
from cli.serve.limits import Limiter
from cli.serve.pages import HEADERS, page, static_file
from cli.serve.practice_store import Closed, Judged, PracticeStore
from cli.serve.store import MAX_NAME, Store
from grader.course.questions import Course, Question
from grader.intake.csv_file import read_rows
from grader.intake.roster import RosterError, load_roster
from grader.practice import GraderFailure, Judge, Unfit, Variant, fresh, practised, public, verdict
from reference.i18n import LANGUAGES, pick, say, t
from reference.statuses import word

#: The largest request body read: an answer, or a function's code (grader.practice.MAX_CODE
#: characters, escaped as JSON).
MAX_BODY = 256 << 10
#: The script and the stylesheet of the pages, and the icon, with their media types.
STATIC = {
    "practice.js": "text/javascript",
    "practice.css": "text/css",
    "icon.svg": "image/svg+xml",
}
_LOG = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Limits:
    """Requests a second and at once (a token bucket) per student: fresh variants and
    solutions, answers (each runs code in the sandbox); the teacher's token guesses, per
    address."""

    variants: tuple[float, float] = (1.0, 30.0)
    answers: tuple[float, float] = (0.5, 12.0)
    guesses: tuple[float, float] = (1.0, 10.0)


def load_practice_roster(path: Path) -> frozenset[str]:
    """The ids a roster CSV names: its ``student`` column (first, or second after
    ``submission`` as ``grade --roster`` takes it); RosterError at ``file:line``."""
    rows, problems = read_rows(path, ("student",), t("intake.roster"))
    if not problems:
        return frozenset(row.cells[0] for row in rows)
    if problems[0].line == 1:  # not a student column first: grade's roster?
        return frozenset(load_roster(path).ids.values())
    raise RosterError(problems)


class Practice:
    """The endpoints and pages, over one course, one store and one judge."""

    def __init__(
        self,
        course: Course,
        store: Path | Store | PracticeStore,
        token: str,
        lang: str = "en",
        roster: Iterable[str] | None = None,
        judge: Judge | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.course, self.token, self.lang = course, token, lang
        if isinstance(store, PracticeStore):
            self.store = store
        else:
            self.store = PracticeStore(store.path if isinstance(store, Store) else Path(store))
        self.roster = frozenset(roster) if roster is not None else None
        self.judge = judge or Judge(course, size=min(2, os.cpu_count() or 1))
        self.questions = {q.qid: q for q in practised(course)}
        limits = limits or Limits()
        self.variants = Limiter(*limits.variants)
        self.answers = Limiter(*limits.answers)
        self.guesses = Limiter(*limits.guesses)

    def routes(self) -> list[BaseRoute]:
        one = "/api/practice/{student}/{question}"
        handlers: list[tuple[str, Handler, str]] = [
            ("/api/practice", self.listed, "GET"),
            ("/api/practice/{student}", self.progress, "GET"),
            (one, self.new, "POST"),
            (f"{one}/{{variant}}/answer", self.answer, "POST"),
            (f"{one}/{{variant}}/solution", self.solution, "POST"),
            ("/api/teacher/practice", self.summary, "GET"),
            ("/practice", self.student_page, "GET"),
            ("/teacher/practice", self.teacher_page, "GET"),
            ("/practice/static/{name}", self.static, "GET"),
        ]
        return [Route(path, self.refusing(h), methods=[m]) for path, h, m in handlers]

    def close(self) -> None:
        """Stop the judge's sandboxes and close the store."""
        self.judge.close()
        self.store.close()

    # -- the request's parts

    def refusing(self, handler: Handler) -> Handler:
        """``handler``, its refusals answered as JSON ``{error}`` in the request's language."""

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Refusal as no:
                return refused(no, self.lang_of(request))

        return handle

    def lang_of(self, request: Request) -> str:
        return language(request, self.lang)

    async def body(self, request: Request) -> dict[str, Any]:
        return await json_body(request, MAX_BODY, t("practice.too_large"), t("practice.not_json"))

    def student_of(self, request: Request) -> str:
        """The path's student id: bounded, no control characters, on the roster if any."""
        student = request.path_params["student"]
        if (
            not 0 < len(student) <= MAX_NAME
            or student != student.strip()
            or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in student)
        ):
            raise Refusal(400, t("practice.bad_student", n=MAX_NAME))
        if self.roster is not None and student not in self.roster:
            raise Refusal(403, t("practice.not_on_roster", student=student))
        return student

    def question_of(self, request: Request) -> Question:
        qid = request.path_params["question"]
        q = self.questions.get(qid)
        if q is None:
            raise Refusal(404, t("practice.no_question", question=qid[:MAX_NAME]))
        return q

    def variant_of(self, request: Request) -> Variant:
        """The path's variant, which must have been opened (a closed one included)."""
        student, q = self.student_of(request), self.question_of(request)
        number = request.path_params["variant"]
        if not (number.isascii() and number.isdigit() and len(number) <= 9):
            raise Refusal(404, t("practice.no_variant"))
        variant = Variant(q, student, int(number))
        if self.store.state(student, q.qid, variant.number) is None:
            raise Refusal(404, t("practice.no_variant"))
        return variant

    def teacher(self, request: Request) -> None:
        """The teacher's token, compared in constant time; guesses are rate limited."""
        given = request.headers.get("authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            return
        address = request.client.host if request.client is not None else ""
        if not self.guesses.allow(address):
            raise Refusal(429, t("practice.too_many"))
        raise Refusal(401, t("practice.token_required"))

    # -- a student's practice

    async def listed(self, request: Request) -> JSONResponse:
        return JSONResponse({"questions": self.menu(self.lang_of(request))})

    def menu(self, lang: str) -> list[dict[str, Any]]:
        """Every question one may practise, by exercise, as the page lists them."""
        titles = {e.id: pick(e.title, lang) for e in self.course.exercises}
        return [
            {
                "question": q.qid,
                "exercise": q.exercise,
                "title": titles[q.exercise],
                "name": q.name,
                "form": public(q, lang)["form"],
                "points": q.points,
            }
            for q in self.questions.values()
        ]

    async def progress(self, request: Request) -> JSONResponse:
        student, lang = self.student_of(request), self.lang_of(request)
        found = await run_in_threadpool(self.store.progress, student)
        for mine in found.values():
            mine["said"] = say("practice.answers_count", lang, n=mine["answers"])
        return JSONResponse({"student": student, "questions": found})

    async def new(self, request: Request) -> JSONResponse:
        student, q = self.student_of(request), self.question_of(request)
        if not self.variants.allow(student):
            raise Refusal(429, t("practice.too_many"))
        variant = await run_in_threadpool(self.open_fresh, student, q)
        return JSONResponse(self.shown(variant, self.lang_of(request)), status_code=201)

    def open_fresh(self, student: str, q: Question) -> Variant:
        """The next fresh variant, opened (on disk) before it is shown."""
        for _ in range(5):  # another request of the same student took that number: next
            variant = fresh(self.course, student, q.qid, self.store.last(student, q.qid))
            if self.store.open(student, q.qid, variant.number):
                return variant
        raise Refusal(429, t("practice.too_many"))

    def shown(self, variant: Variant, lang: str) -> dict[str, Any]:
        """What a variant's page shows: its prompt, its values, its form; never its answer."""
        q = variant.question
        return {
            "variant": variant.number,
            "question": q.qid,
            "prompt": pick(q.prompt, lang).strip(),
            "hint": pick(q.hint, lang).strip() if q.hint else "",
            "values": variant.values(),
            "worth": say("practice.points", lang, n=q.points),
            **public(q, lang),
        }

    async def answer(self, request: Request) -> JSONResponse:
        variant = self.variant_of(request)
        student, q = variant.student, variant.question
        data = await self.body(request)
        if not self.answers.allow(student):
            raise Refusal(429, t("practice.too_many"))
        if self.store.state(student, q.qid, variant.number) != "open":
            raise Refusal(409, t("practice.variant_closed"))
        given = data.get("answer")
        try:
            result = await run_in_threadpool(self.judge.judge, variant, given)
        except Unfit as unfit:
            raise Refusal(422, unfit.why) from None
        except GraderFailure as failure:  # ours, never the student's: not an attempt
            _LOG.error("practice %s, variant %s: %s", q.qid, variant.number, failure)
            said = t("practice.grader_failed")
            body = {"verdict": "unavailable", "error": pick(said, self.lang_of(request))}
            return JSONResponse({**body, "feedback": said}, status_code=503)
        judged = Judged(result.status, result.score, result.max_score, dict(result.feedback))
        try:
            await run_in_threadpool(
                self.store.record, student, q.qid, variant.number, given, judged
            )
        except Closed:
            raise Refusal(409, t("practice.variant_closed")) from None
        mine = (await run_in_threadpool(self.store.progress, student))[q.qid]
        return JSONResponse(
            {
                "verdict": verdict(result),
                "status": result.status,
                "score": result.score,
                "max_score": result.max_score,
                "feedback": dict(result.feedback),
                "answers": mine["answers"],
                "said": say("practice.answers_count", self.lang_of(request), n=mine["answers"]),
                "solved": mine["first_success"] is not None,
            }
        )

    async def solution(self, request: Request) -> JSONResponse:
        variant = self.variant_of(request)
        if not self.variants.allow(variant.student):
            raise Refusal(429, t("practice.too_many"))
        q = variant.question
        await run_in_threadpool(self.store.close_variant, variant.student, q.qid, variant.number)
        answer = await run_in_threadpool(variant.solution, self.lang_of(request))
        body = {"variant": variant.number, "question": q.qid, "answer": answer, "closed": True}
        return JSONResponse(body)

    # -- the teacher's summary

    async def summary(self, request: Request) -> JSONResponse:
        self.teacher(request)
        lang = self.lang_of(request)
        found = await run_in_threadpool(self.store.summary)
        return JSONResponse(summarised(found, list(self.questions), lang))

    # -- the pages

    def config(self, lang: str, texts: dict[str, str], **more: Any) -> dict[str, Any]:
        return {
            "lang": lang,
            "languages": [[code, say("practice.language_name", code)] for code in LANGUAGES],
            "texts": texts,
            "title": pick(self.course.model.title, lang),
            **more,
        }

    async def student_page(self, request: Request) -> Response:
        lang = self.lang_of(request)
        texts = student_texts(lang)
        config = self.config(lang, texts, questions=self.menu(lang))
        return frame(lang, texts["title"], "student", config)

    async def teacher_page(self, request: Request) -> Response:
        lang = self.lang_of(request)
        texts = teacher_texts(lang)
        return frame(lang, texts["teacher_title"], "teacher", self.config(lang, texts))

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response(status_code=404)
        headers = {**HEADERS, "cache-control": "no-cache"}
        return Response(static_file(name), media_type=STATIC[name], headers=headers)


def announcement(public: str, teacher: str, token: str, lang: str) -> list[str]:
    """What ``course serve`` prints about practice: the students' page at ``public`` (the
    address students reach), the teacher's summary at ``teacher`` (this machine's), with the
    teacher's token as the teacher's URL carries it."""
    return [
        say("practice.students_url", lang, url=f"{public}/practice"),
        say("practice.teacher_url", lang, url=f"{teacher}/teacher/practice?token={token}"),
    ]


def summarised(found: dict[str, dict[str, Any]], order: list[str], lang: str) -> dict[str, Any]:
    """The teacher's summary in ``lang``: per question practised (in the course's order),
    its students, how many succeeded and the rate, its answers, and the most frequent
    diagnoses (a wrong answer's feedback with its numbers masked, as the class dashboard
    counts them)."""
    rows = []
    everyone: set[str] = set()
    for qid in order:
        mine = found.get(qid)
        if mine is None:
            continue
        everyone.update(mine["students"])
        counted: Counter[str] = Counter()
        for status, feedback, n in mine["wrong"]:
            text = diagnosis({"feedback": pick(feedback, lang), "status": status})
            counted[word(text, lang)] += n
        students, succeeded = len(mine["students"]), len(mine["succeeded"])
        rows.append(
            {
                "question": qid,
                "students": students,
                "succeeded": succeeded,
                "success_rate": round(succeeded / students, 4) if students else 0.0,
                "answers": mine["answers"],
                "diagnoses": [{"text": k, "count": n} for k, n in counted.most_common(TOP)],
            }
        )
    said = say("practice.summary_students", lang, n=len(everyone))
    return {"students": len(everyone), "said": said, "questions": rows}


def frame(lang: str, title: str, which: str, config: dict[str, Any]) -> HTMLResponse:
    """A practice page (``which``: student or teacher), the frame practice.js fills in."""
    return page(
        lang,
        title,
        config,
        body=f"practice {which}",
        assets="/practice/static",
        styles="practice.css",
        scripts=("practice.js",),
        noscript=say("practice.needs_script", lang),
    )


def common_texts(lang: str) -> dict[str, str]:
    """What both pages say: verdicts, refusals, the connection."""
    return {
        "verdict_right": say("practice.verdict_right", lang),
        "verdict_partial": say("practice.verdict_partial", lang),
        "verdict_wrong": say("practice.verdict_wrong", lang),
        "unavailable": say("practice.unavailable", lang),
        "server_silent": say("practice.server_silent", lang),
        "refused": say("practice.refused", lang, why="{why}"),
        "refresh": say("practice.refresh", lang),
    }


def student_texts(lang: str) -> dict[str, str]:
    """The student's page: the id, the question, the variant, the answer, the solution."""
    return {
        **common_texts(lang),
        "title": say("practice.title", lang),
        "intro": say("practice.intro", lang),
        "your_id": say("practice.your_id", lang),
        "id_hint": say("practice.id_hint", lang),
        "id_needed": say("practice.id_needed", lang),
        "question_label": say("practice.question_label", lang),
        "start": say("practice.start", lang),
        "variant_heading": say("practice.variant_heading", lang, question="{question}", n="{n}"),
        "hint_label": say("practice.hint_label", lang),
        "values_heading": say("practice.values_heading", lang),
        "values_note": say("practice.values_note", lang),
        "random_points": say("practice.random_points", lang),
        "answer_label": say("practice.answer_label", lang),
        "code_label": say("practice.code_label", lang),
        "names_hint": say("practice.names_hint", lang),
        "choose": say("practice.choose", lang),
        "send": say("practice.send", lang),
        "checking": say("practice.checking", lang),
        "fresh": say("practice.fresh", lang),
        "show_solution": say("practice.show_solution", lang),
        "solution_confirm": say("practice.solution_confirm", lang),
        "solution_heading": say("practice.solution_heading", lang, n="{n}"),
        "closed_note": say("practice.closed_note", lang),
        "solved": say("practice.solved", lang),
        "empty_answer": say("practice.empty_answer", lang),
    }


def teacher_texts(lang: str) -> dict[str, str]:
    """The teacher's summary page."""
    return {
        **common_texts(lang),
        "teacher_title": say("practice.teacher_title", lang),
        "no_token": say("practice.no_token", lang),
        "nobody_yet": say("practice.nobody_yet", lang),
        "col_question": say("practice.col_question", lang),
        "col_students": say("practice.col_students", lang),
        "col_success": say("practice.col_success", lang),
        "col_answers": say("practice.col_answers", lang),
        "col_diagnoses": say("practice.col_diagnoses", lang),
    }


__all__ = ["Limits", "Practice", "announcement", "load_practice_roster"]

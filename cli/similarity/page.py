"""``similarity.html``: the caveat, the pairs, and each flagged pair's evidence: the numbers
that came from the other, and the matching code side by side.

Everything from a submission (ids, paths, code) is text here, escaped; the page is the house
frame (:func:`cli.html.assets.page`: inlined stylesheet, a policy that allows no request and
no script).  The code shown is what the comparison saw: each student's own lines, under
comments naming where they are, the matching stretches marked and long unmarked ones cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html import escape

from cli.html.assets import page, table
from cli.similarity import Evidence, Pair
from cli.similarity.code import COMMON_AT_MOST, COMMON_SHARE, NOISE
from reference.i18n import pick, t

#: An unmarked stretch keeps this many lines next to each mark; the rest is cut.
CONTEXT = 3
DASH, FLAG, CUT = "\u2014", "\u2691", "\u22ee"


def html(evidence: Evidence, pairs: list[Pair], threshold: float, lang: str) -> str:
    """The whole page."""

    def say(key: str, **fields: object) -> str:
        return escape(pick(t(key, **fields), lang))

    flagged = [p for p in pairs if p.flagged]
    body = [
        f"<h1>{say('similarity.title')}</h1>",
        f'<p class="caveat"><strong>{say("similarity.caveat")}</strong></p>',
        "<p>"
        + say(
            "similarity.summary",
            n=len(evidence.students),
            flagged=len(flagged),
            listed=len(pairs),
        )
        + "</p>",
        f"<h2>{say('similarity.pairs')}</h2>",
        _table(evidence, pairs, lang, say) if pairs else f"<p>{say('similarity.no_pairs')}</p>",
        f'<p class="muted">{say("similarity.numbers_how")}</p>',
        '<p class="muted">'
        + say(
            "similarity.code_how",
            noise=NOISE,
            common=f"{COMMON_SHARE:.0%}",
            most=COMMON_AT_MOST,
            threshold=threshold,
        )
        + "</p>",
    ]
    for k, p in enumerate(pairs):
        if p.flagged:
            body.append(_section(evidence, p, k, say))
    return page(lang, pick(t("similarity.title"), lang), "\n".join(body))


def _who(evidence: Evidence, k: int) -> str:
    return escape(evidence.students[k])


def _table(evidence: Evidence, pairs: list[Pair], lang: str, say: Callable[..., str]) -> str:
    head = (
        f"<th>{say('similarity.a')}</th><th>{say('similarity.b')}</th>"
        f"<th>{say('similarity.code_alike')}</th><th>{say('similarity.numbers')}</th>"
        f"<th>{say('similarity.flagged')}</th>"
    )
    rows = []
    for k, p in enumerate(pairs):
        a = _who(evidence, p.a)
        if p.flagged:
            a = f'<a href="#pair-{k}">{a}</a>'
        sources = Counter(n.source for n in p.numbers)
        numbers = "; ".join(
            f"{count} ({say('similarity.from')} {_who(evidence, source)})"
            for source, count in sorted(sources.items())
        )
        mark = f"{FLAG} {say('similarity.yes')}" if p.flagged else say("similarity.no")
        rows.append(
            f"<tr><td>{a}</td><td>{_who(evidence, p.b)}</td>"
            f'<td class="num">{p.code:.0%}</td><td>{numbers or DASH}</td>'
            f"<td>{mark}</td></tr>"
        )
    return table("pairs", head, rows)


def _section(evidence: Evidence, p: Pair, k: int, say: Callable[..., str]) -> str:
    """One flagged pair: its numbers' questions, its code side by side."""
    a, b = _who(evidence, p.a), _who(evidence, p.b)
    out = [f'<h2 id="pair-{k}">{a} {DASH} {b}</h2>']
    if p.numbers:
        for copier, source in sorted({(n.copier, n.source) for n in p.numbers}):
            who = say(
                "similarity.numbers_of",
                copier=evidence.students[copier],
                source=evidence.students[source],
            )
            items = "".join(
                f"<li><code>{escape(n.question)}</code></li>"
                for n in p.numbers
                if (n.copier, n.source) == (copier, source)
            )
            out.append(f"<p>{who}:</p><ul>{items}</ul>")
    if p.spans:
        out.append(f"<h3>{say('similarity.matching_code')} ({p.code:.0%})</h3>")
        columns = "".join(
            f"<div><h4>{_who(evidence, s)}</h4><pre>{marked(evidence.text(s), spans)}</pre></div>"
            for s, spans in zip((p.a, p.b), p.spans)
        )
        out.append(f'<div class="side">{columns}</div>')
    return "\n".join(out)


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, its ``spans`` in ``<mark>``, long unmarked stretches cut."""
    out, at = [], 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        out += [_cut(text[at:start], at == 0, False), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    out.append(_cut(text[at:], at == 0, True))
    return "".join(out)


def _cut(text: str, first: bool, last: bool) -> str:
    """An unmarked stretch, escaped: its lines nearest the marks, the rest as ``⋮``."""
    lines = text.split("\n")
    keep_head = 0 if first else CONTEXT + 1  # the line a mark ends on, and the next ones
    keep_tail = 0 if last else CONTEXT + 1
    if (first and last) or len(lines) <= keep_head + keep_tail + 1:
        return escape(text)
    tail = lines[len(lines) - keep_tail :] if keep_tail else []
    return escape("\n".join([*lines[:keep_head], CUT, *tail]))

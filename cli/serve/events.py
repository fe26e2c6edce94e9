"""The live round's server-sent events: each page that follows a round gets a message for each
change (a team's new state after an entry, the whole board after a join or a reveal).

A listener is a bounded queue: a page that stops reading is dropped (its stream ends and the
browser's EventSource reconnects and starts again from the whole board), so one stuck phone
never holds the server's memory.  A message is rendered once per language it is asked in.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

#: How many messages a listener may be behind before it is dropped.
BACKLOG = 256
#: Seconds between the comments that keep a quiet stream open through proxies.
PING = 15.0


class Message:
    """One event: its name and its data, made per language when first asked."""

    def __init__(self, name: str, data: Callable[[str], Any]) -> None:
        self.name, self._data = name, data
        self._made: dict[str, str] = {}

    def frame(self, lang: str) -> str:
        if lang not in self._made:
            data = json.dumps(self._data(lang), ensure_ascii=False, allow_nan=False)
            self._made[lang] = f"event: {self.name}\ndata: {data}\n\n"
        return self._made[lang]


class Hub:
    """Each round's listeners.  Used from the event loop only (``publish`` from a thread goes
    through ``loop.call_soon_threadsafe``)."""

    def __init__(self) -> None:
        #: a round's listeners: each one's queue → (its language, the team it follows or None)
        self._listeners: dict[str, dict[asyncio.Queue[Message | None], tuple[str, str | None]]]
        self._listeners = {}

    def languages(self, round_id: str, team: str | None = None, only: bool = False) -> set[str]:
        """The languages of those who would hear of ``team`` (a message is made in these
        ahead, off the event loop); ``only``: of those who follow that team alone."""
        heard = self._listeners.get(round_id, {}).values()
        if only:
            return {lang for lang, follows in heard if follows == team}
        return {lang for lang, follows in heard if team is None or follows in (None, team)}

    def publish(
        self,
        round_id: str,
        message: Message,
        team: str | None = None,
        to_team: Message | None = None,
    ) -> None:
        """``message`` to the round's listeners: a team's news to those who follow that team
        (``to_team`` if given: what its phones need) or the whole round (a phone follows its
        own team: 300 phones do not each get every team's every number)."""
        for queue, (_, follows) in list(self._listeners.get(round_id, {}).items()):
            if team is not None and follows not in (None, team):
                continue
            try:
                queue.put_nowait(to_team if to_team is not None and follows else message)
            except asyncio.QueueFull:  # stopped reading: drop it, its page reconnects
                self._listeners[round_id].pop(queue, None)
                queue.get_nowait()
                queue.put_nowait(None)

    async def stream(
        self, round_id: str, first: Message, lang: str, team: str | None = None
    ) -> AsyncIterator[str]:
        """The frames a page reads: ``first`` (the state now), then every change (of ``team``
        only, when given)."""
        queue: asyncio.Queue[Message | None] = asyncio.Queue(BACKLOG)
        self._listeners.setdefault(round_id, {})[queue] = (lang, team)
        try:
            yield "retry: 2000\n\n" + first.frame(lang)
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), PING)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                if message is None:
                    return
                yield message.frame(lang)
        finally:
            self._listeners.get(round_id, {}).pop(queue, None)

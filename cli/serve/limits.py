"""A per-client rate limit for the live round: a token bucket a client, in bounded memory.

A client is whoever a request says it is *and* where it comes from (an address and a student
name): in a lecture hall behind one router every phone may share an address, and a per-address
limit alone would throttle the class; a name alone could be spoofed to flood.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable


class Limiter:
    """``rate`` requests a second on average, ``burst`` at once, for each of the ``clients``
    most recently seen (the oldest forgotten: memory stays bounded whatever is sent)."""

    def __init__(self, rate: float, burst: float, clients: int = 10_000) -> None:
        self.rate, self.burst, self.clients = rate, burst, clients
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: Hashable, now: float | None = None) -> bool:
        """Take one token from ``client``'s bucket: False when it is empty."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.clients:
                self._buckets.popitem(last=False)
        return allowed

"""Retries both ways: Slack re-delivering an event to us, and us retrying the Slack Web API.

Slack re-sends an event it thinks was not acknowledged (``x-slack-retry-num``, same ``event_id``);
Bolt does not de-duplicate, so ``SeenEvents`` remembers recent event ids. It lives in memory: one
process answers once per event; several processes behind a load balancer, or a restart between a
delivery and its retry, could answer twice (a shared store would fix that, none is needed yet).
"""
from __future__ import annotations

from collections import OrderedDict

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator


class SeenEvents:
    """The last ``size`` event ids, oldest forgotten first."""

    def __init__(self, size: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is offered (and remembers it), False on every repeat."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


SERVER_ERROR_PAUSES = (0.5, 1.0, 2.0)  # seconds before each retry after a 5xx


def web_api_retries() -> list[AsyncRetryHandler]:
    """429: wait what Retry-After says; 500/503 and dropped connections: back off 0.5 s, 1 s, 2 s."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=SERVER_ERROR_PAUSES[0])
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AsyncServerErrorRetryHandler(max_retry_count=3, interval_calculator=backoff),
    ]

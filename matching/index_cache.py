"""One value kept per process and rebuilt when what it was built from changes (the fitted team index,
see services.team_index)."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class Built(Generic[V]):
    """What a build returns: the value, and work that follows from it (run once the value is kept,
    still under the cache's lock, so it runs once per rebuild)."""

    value: V
    then: Callable[[], None] | None = None


@dataclass(frozen=True)
class Cached(Generic[V]):
    fingerprint: str  # of the state the value was built from
    value: V


class IndexCache(Generic[V]):
    """fingerprint() names the state the value depends on; build(previous) makes the value for the
    current state (None when there is nothing to build), given the value it replaces so that it can
    reuse parts of it.

    It also remembers the fingerprint that the last refresh of what depends on the value was made for
    (mark_refreshed), so that a burst of change notifications refreshes once; invalidate() forgets
    both."""

    def __init__(self, fingerprint: Callable[[], str], build: Callable[[V | None], Built[V] | None]):
        self._fingerprint = fingerprint
        self._build = build
        self._lock = threading.Lock()
        self._cached: Cached[V] | None = None
        self._refreshed_on: str | None = None

    def fingerprint(self) -> str:
        return self._fingerprint()

    def get(self) -> V | None:
        """The value for the current fingerprint, built now when the kept one is for another."""
        with self._lock:
            key = self._fingerprint()
            if self._cached is not None and self._cached.fingerprint == key:
                return self._cached.value
            built = self._build(self._cached.value if self._cached is not None else None)
            if built is None:
                self._cached = None
                return None
            self._cached = Cached(key, built.value)
            if built.then is not None:
                built.then()
            return built.value

    @property
    def cached(self) -> Cached[V] | None:
        """What is kept now, without checking that it is current (None when nothing is)."""
        return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None
            self._refreshed_on = None

    def refreshed_on(self, key: str) -> bool:
        """Whether key is the fingerprint of the last refresh recorded (and not invalidated since)."""
        return self._refreshed_on == key

    def mark_refreshed(self, key: str) -> None:
        # A plain assignment, unlocked: two refreshes racing at worst repeat one.
        self._refreshed_on = key

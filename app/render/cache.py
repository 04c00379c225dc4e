"""Bounded, thread-safe LRU cache of rendered documents keyed by the git blob hash.

The one cache of rendered output in the application: pages also keep rendered fragments here
(`fetch` with a key that names exactly what the fragment depends on).
"""

import threading
from collections import OrderedDict
from typing import Any, Callable

from app.render import document

DEFAULT_MAX_ENTRIES = 512


class RenderCache:
    """LRU of key -> Rendered; a key must identify the text exactly (a blob hash does)."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, text: str, key: str) -> document.Rendered:
        """Return the cached rendering for *key*, rendering *text* on a miss."""
        # Looked up through the module so tests can count calls by monkeypatching it.
        return self.fetch(key, lambda: document.render_markdown(text))

    def fetch(self, key: Any, make: Callable[[], Any]) -> Any:
        """Return the value cached for *key*, computing it with *make()* on a miss."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        # Render outside the lock so one slow document does not stall every other page;
        # two threads missing the same key at once may both render, which is harmless.
        rendered = make()
        with self._lock:
            # If another thread won the race, hand out its object so callers see one result.
            existing = self._entries.get(key)
            if existing is not None:
                self._entries.move_to_end(key)
                return existing
            self._entries[key] = rendered
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return rendered

    def clear(self) -> None:
        """Forget every entry and reset the counters."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries


_default_cache = RenderCache()


def render_cached(text: str, key: str) -> document.Rendered:
    """Render *text* once per *key* (the git blob hash) and reuse the result afterwards."""
    return _default_cache.get(text, key)


def render_cache() -> RenderCache:
    """The process-wide cache used by render_cached (for statistics and tests)."""
    return _default_cache

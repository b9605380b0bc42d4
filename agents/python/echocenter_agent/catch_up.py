"""One catch-up at a time, never a missed request: what the chat inbox and the command intake both need.

A `sync:hint` or a reconnect can come while a catch-up is reading; what it announces may already be past the
point that pass has read, so the pass is run once more when it ends. Hints that pile up meanwhile make one
more pass, not one each, and two passes never overlap (each moves a cursor or claims commands).
"""

import threading


class CatchUpRunner:
    def __init__(self, catch_up, thread_name):
        # catch_up() -> None: one pass; it handles its own errors (one that escapes ends the runner).
        self._catch_up = catch_up
        self._thread_name = thread_name
        self._lock = threading.Lock()
        self._running = False
        self._again = False

    def start(self):
        """Catches up on a thread of its own; a call while one runs makes it run once more."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self.run, name=self._thread_name, daemon=True).start()

    def run(self):
        """Passes until none was asked for during the last one (on the caller's thread: start() or a test)."""
        while True:
            with self._lock:
                self._again = False
            self._catch_up()
            with self._lock:
                if not self._again:
                    self._running = False
                    return

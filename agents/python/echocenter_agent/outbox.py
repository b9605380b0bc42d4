"""An ordered queue of acknowledged sends, drained by one thread.

One entry is on the wire at a time: that is what keeps logs in order across reconnects, and an entry
leaves the queue only when the hub acknowledged it (or refused it for good). Used for logs (bounded) and
for command results and chat replies (at least once; the hub dedupes those by commandId / localId).
"""

import collections
import threading
import time

from .backoff import Backoff

# Codes that mean "later", not "never": the entry is retried after a pause.
RETRYABLE = frozenset(['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'INTERNAL_ERROR'])
MAX_REFUSALS = 8


class Transport:
    """What an outbox needs from the connection (the Agent implements it)."""

    connected = False

    def wait_connected(self, timeout):
        """Blocks until connected or `timeout` seconds passed; returns whether connected."""
        raise NotImplementedError

    def call(self, event, payload, timeout):
        """Sends with an ack; returns the ack dict, or None when it was lost (timeout or disconnect)."""
        raise NotImplementedError


class _Entry:
    __slots__ = ('event', 'payload', 'refusals')

    def __init__(self, event, payload):
        self.event = event
        self.payload = payload
        self.refusals = 0


class Outbox:
    def __init__(self, name, transport, ack_timeout=5.0, limit=None, drop_notice=None, on_rejected=None,
                 retry_backoff=None):
        self.name = name
        self._transport = transport
        self._ack_timeout = ack_timeout
        self._limit = limit
        self._drop_notice = drop_notice
        self._on_rejected = on_rejected or (lambda event, payload, reason: None)
        self._retry = retry_backoff or Backoff(initial=0.25, maximum=5.0)
        self._queue = collections.deque()
        self._in_flight = None
        self._pending_dropped = 0
        self.dropped = 0
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = None

    @property
    def size(self):
        with self._cond:
            return len(self._queue) + self._pending_dropped

    def push(self, event, payload):
        with self._cond:
            self._queue.append(_Entry(event, payload))
            if self._limit is not None and len(self._queue) > self._limit:
                # Never drop the entry on the wire: its ack may still come back.
                victim = 1 if self._queue[0] is self._in_flight else 0
                del self._queue[victim]
                self._pending_dropped += 1
                self.dropped += 1
            self._cond.notify_all()
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._loop, name='outbox-' + self.name, daemon=True)
                self._thread.start()

    def wake(self):
        """Called on (re)connect so a waiting loop notices at once."""
        with self._cond:
            self._cond.notify_all()

    def wait_idle(self, timeout):
        """Waits until everything queued was acknowledged; returns whether that happened in time."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._pending_dropped:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
            return True

    def stop(self):
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def _next(self):
        """The entry to send next, once connected; None when stopped."""
        while True:
            # Wait for the connection first: a drop notice made while offline could itself be dropped by
            # later pushes, and the count it carries would then be wrong.
            if not self._transport.wait_connected(0.5):
                with self._cond:
                    if self._stopped:
                        return None
                continue
            with self._cond:
                if self._stopped:
                    return None
                if self._pending_dropped and self._drop_notice:
                    event, payload = self._drop_notice(self._pending_dropped)
                    self._queue.appendleft(_Entry(event, payload))
                self._pending_dropped = 0
                if not self._queue:
                    self._cond.notify_all()  # wakes wait_idle()
                    self._cond.wait(0.5)
                    continue
                self._in_flight = self._queue[0]
                return self._in_flight

    def _loop(self):
        while True:
            entry = self._next()
            if entry is None:
                return
            ack = self._transport.call(entry.event, entry.payload, self._ack_timeout)
            with self._cond:
                self._in_flight = None
            if ack is None:
                continue  # lost: resend once connected again
            if isinstance(ack, dict) and ack.get('ok'):
                self._remove(entry)
                self._retry.reset()
                continue
            error = (ack.get('error') if isinstance(ack, dict) else None) or {}
            code = error.get('code', 'UNKNOWN')
            entry.refusals += 1
            if code in RETRYABLE and entry.refusals < MAX_REFUSALS:
                time.sleep(self._retry.next())
            else:
                self._remove(entry)
                self._on_rejected(entry.event, entry.payload, '%s: %s' % (code, error.get('message', '')))

    def _remove(self, entry):
        with self._cond:
            try:
                self._queue.remove(entry)
            except ValueError:
                pass
            self._cond.notify_all()

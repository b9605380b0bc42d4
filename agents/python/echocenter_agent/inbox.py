"""Catching up on chat by itself (docs/protocol.md, "Catching up"), as the TypeScript SDK does.

After every (re)connect and every `sync:hint` the hub sends, the messages addressed to the agent above its
cursor are read from `GET /api/chat/inbox` and handed to `deliver`, which answers each id once (pushes and
catch-up overlap on purpose). The cursor moves only through catch-ups, never on a live push: a push that
overtook a lost one must not hide it. A new agent starts at the hub's mark, and a message older than
MAX_AGE seconds is passed over (nobody waits for an answer that late).
"""

import json
import ssl
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime

from .catch_up import CatchUpRunner

CATCH_UP_EVERY = 500
MAX_AGE = 300.0
ATTEMPTS = 4
RETRY = 0.3


class InboxCatchUp:
    def __init__(self, read, deliver, warn):
        self._read = read
        self._deliver = deliver
        self._warn = warn
        self._lock = threading.Lock()
        self._live_since = 0
        self.cursor = None
        self._runner = CatchUpRunner(self._catch_up, 'inbox-catch-up')

    def live(self):
        """Counts a live push; every CATCH_UP_EVERY of them a catch-up moves the cursor on."""
        with self._lock:
            self._live_since += 1
            due = self._live_since >= CATCH_UP_EVERY
        if due:
            self.start()

    def start(self):
        """Catches up on a thread of its own; a call while one runs makes it run once more."""
        self._runner.start()

    def run(self):
        """Catches up on the caller's thread, as start() does on its own."""
        self._runner.run()

    def _catch_up(self):
        with self._lock:
            self._live_since = 0
        # Reads fail right after a fault (a node still restarting): try again shortly, not at the next hint.
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._read_all()
                return
            except Exception as err:  # noqa: BLE001 - given up after ATTEMPTS; the next hint or reconnect retries
                if attempt == ATTEMPTS:
                    self._warn('could not catch up on chat: %s' % err)
                else:
                    time.sleep(RETRY * attempt)

    def _read_all(self):
        if self.cursor is None:
            self.cursor = self._read(None)['mark']
            return
        while True:
            page = self._read(self.cursor)
            oldest = time.time() - MAX_AGE
            items = page.get('items') or []
            for message in items:
                if _epoch(message.get('createdAt')) >= oldest:
                    self._deliver(message)
            last = items[-1]['id'] if items else self.cursor
            if page.get('nextCursor') is not None:
                self.cursor = page['nextCursor']
                continue
            self.cursor = max(last, page.get('mark', last))
            return


def http_inbox_reader(url, token, timeout, ssl_verify=True):
    """`GET <url>/api/chat/inbox[?after=]` with the agent token; returns the parsed page."""
    context = None
    if url.startswith('https://') and not ssl_verify:
        context = ssl._create_unverified_context()  # noqa: S323 - the caller asked for a lab setup

    def read(after):
        query = '' if after is None else '?' + urllib.parse.urlencode({'after': after})
        request = urllib.request.Request(url + '/api/chat/inbox' + query, headers={'Authorization': 'Bearer ' + token})
        with urllib.request.urlopen(request, timeout=timeout, context=context) as res:  # noqa: S310 - the hub's own URL
            return json.loads(res.read().decode('utf-8'))
    return read


def _epoch(text):
    try:
        return datetime.fromisoformat(str(text).replace('Z', '+00:00')).timestamp()
    except ValueError:
        return time.time()

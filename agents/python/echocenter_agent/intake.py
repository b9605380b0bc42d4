"""Takes `command:run`s in so each runs once whatever delivered it (docs/protocol.md, "Catching up"), as the
TypeScript SDK does.

A push can be lost (the node that sent it died, Redis was down), so after every (re)connect and every
`sync:hint` the agent asks the hub for the commands sent to it that nobody claimed (`command:pending`). Live
push and catch-up may then both bring one command: each is claimed (`command:claim`, with this process's own
`instance` id) before it runs, and the hub grants one process one claim. A claim whose ack was lost with its
node is asked again by the next catch-up and granted again to the same instance; the dispatcher runs an id
once per process (a re-delivered finished one re-sends its remembered result).
"""

import threading
import uuid

from .catch_up import CatchUpRunner


class CommandIntake:
    def __init__(self, call, dispatcher, warn, timeout):
        # call(event, payload, timeout) -> the ack, or None when none came (the connection went).
        self._call = call
        self._dispatcher = dispatcher
        self._warn = warn
        self._timeout = timeout
        # This process's claim id: another process of the same agent (a restart) never re-runs our commands.
        self.instance = str(uuid.uuid4())
        self._lock = threading.Lock()
        self._claiming = set()
        self._runner = CatchUpRunner(self._catch_up, 'command-catch-up')

    def deliver(self, event):
        """A `command:run` from the socket: claimed and run on a thread (the read loop must not wait for acks)."""
        threading.Thread(target=self.take, args=(event,), name='command-claim', daemon=True).start()

    def take(self, event):
        """Runs the command once the hub granted the claim; a known one goes to the dispatcher as it is."""
        command_id = event.get('commandId') if isinstance(event, dict) else None
        if not isinstance(command_id, int):
            return
        if self._dispatcher.knows(command_id):
            self._dispatcher.run(event)
            return
        with self._lock:
            if command_id in self._claiming:
                return
            self._claiming.add(command_id)
        try:
            ack = self._call('command:claim', {'commandId': command_id, 'instance': self.instance}, self._timeout)
            # No ack: the connection went; the catch-up after the reconnect lists it again. Not granted: another
            # process has it, or it ended (cancelled, timed out): not ours to run.
            if isinstance(ack, dict) and ack.get('ok') and ack.get('run'):
                self._dispatcher.run(event)
            elif isinstance(ack, dict) and not ack.get('ok'):
                self._warn('hub refused command:claim for %d: %s' % (command_id, (ack.get('error') or {}).get('code')))
        finally:
            with self._lock:
                self._claiming.discard(command_id)

    def start(self):
        """Catches up on a thread of its own; a call while one runs makes it run once more."""
        self._runner.start()

    def _catch_up(self):
        ack = self._call('command:pending', {'instance': self.instance}, self._timeout)
        if isinstance(ack, dict) and ack.get('ok'):
            for event in ack.get('commands') or []:
                self.take(event)
        elif isinstance(ack, dict):
            self._warn('hub refused command:pending: %s' % ((ack.get('error') or {}).get('code'),))

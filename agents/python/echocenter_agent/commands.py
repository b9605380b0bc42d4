"""Runs `command:run` events against registered handlers and reports progress and one result each.

Handlers run on their own thread (the Socket.IO read loop must never block). Python cannot stop a thread,
so a cancel or a passed deadline answers `ok: false` at once and the handler's late return is ignored;
handlers that loop should call ctx.check() or watch ctx.cancelled to stop early.
"""

import collections
import datetime
import threading
import time

from .errors import CommandCancelled
from .text import RESULT_CHARS, TEXT_CHARS, error_message, format_output, split_args, truncate

# Remembered results let a re-delivered `command:run` be answered without running the command twice.
REMEMBERED_RESULTS = 200


class CommandSpec:
    """A command as the agent card describes it, plus its handler."""

    def __init__(self, name, handler, description='', args=None, read_only=False):
        self.name = name
        self.handler = handler
        self.description = description
        self.args = args
        self.read_only = read_only

    def card(self):
        entry = {'name': self.name, 'description': self.description, 'readOnly': bool(self.read_only)}
        if self.args:
            entry['args'] = self.args
        return entry


class CommandContext:
    """What a handler gets besides its argument string."""

    def __init__(self, command_id, command, args, sender, deadline, cancelled, progress):
        self.command_id = command_id
        self.command = command
        self.argv = split_args(args)
        # {id, name, kind} of whoever asked: a human or the Butler.
        self.sender = sender
        # Epoch seconds after which the hub no longer waits (None if the hub sent none we could read).
        self.deadline = deadline
        self.cancelled = cancelled
        self._progress = progress
        self.cancel_reason = None

    def progress(self, text):
        """Sends a `command:progress` line to whoever asked (live only, dropped while offline)."""
        if text and not self.cancelled.is_set():
            self._progress({'commandId': self.command_id, 'text': truncate(str(text), TEXT_CHARS)})

    def check(self):
        """Raises CommandCancelled once the command was cancelled or its deadline passed."""
        if self.cancelled.is_set():
            raise CommandCancelled(self.cancel_reason or 'cancelled')

    def sleep(self, seconds):
        """Sleeps, but wakes and raises CommandCancelled as soon as the command is cancelled."""
        if self.cancelled.wait(seconds):
            self.check()


def parse_deadline(value):
    """The hub's ISO time (e.g. 2025-01-01T10:00:00.000Z) as epoch seconds, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace('Z', '+00:00')).timestamp()
    except ValueError:
        return None


class _Running:
    def __init__(self, ctx):
        self.ctx = ctx
        self.timer = None


class CommandDispatcher:
    def __init__(self, on_progress, on_result, clock=time.time):
        self._on_progress = on_progress
        self._on_result = on_result
        self._clock = clock
        self._specs = collections.OrderedDict()
        self._running = {}
        self._results = collections.OrderedDict()
        self._lock = threading.Lock()

    def register(self, spec):
        if spec.name in self._specs:
            raise ValueError('command "%s" already has a handler' % spec.name)
        self._specs[spec.name] = spec

    def spec(self, name):
        return self._specs.get(name)

    @property
    def specs(self):
        return list(self._specs.values())

    @property
    def running(self):
        with self._lock:
            return len(self._running)

    def knows(self, command_id):
        """Whether this process runs the command now or ran it (its result is remembered)."""
        with self._lock:
            return command_id in self._running or command_id in self._results

    def run(self, event):
        command_id = event.get('commandId') if isinstance(event, dict) else None
        if not isinstance(command_id, int):
            return
        with self._lock:
            if command_id in self._running:
                return
            remembered = self._results.get(command_id)
            if remembered is None:
                name, args, spec = self._resolve(event)
                ctx = CommandContext(command_id, name, args, event.get('from') or {}, parse_deadline(event.get('deadline')),
                                     threading.Event(), self._on_progress)
                running = self._running[command_id] = _Running(ctx)
        if remembered is not None:
            self._on_result(remembered)
            return
        if spec is None:
            known = ', '.join(self._specs) or 'none'
            return self._finish(command_id, {'commandId': command_id, 'ok': False,
                                             'error': 'unknown command "%s" (this agent knows: %s)' % (name, known)})
        if ctx.deadline is not None:
            running.timer = threading.Timer(max(0.0, ctx.deadline - self._clock()), self.cancel,
                                            ({'commandId': command_id, 'reason': 'deadline passed'},))
            running.timer.daemon = True
            running.timer.start()
        threading.Thread(target=self._execute, args=(spec, args, ctx), name='command-%d' % command_id, daemon=True).start()

    def cancel(self, event):
        command_id = event.get('commandId') if isinstance(event, dict) else None
        with self._lock:
            running = self._running.get(command_id)
        if running is None:
            return
        reason = (event.get('reason') or 'cancelled') if isinstance(event, dict) else 'cancelled'
        running.ctx.cancel_reason = reason
        running.ctx.cancelled.set()
        # The cancel wins the race: the asker hears now, whatever the handler does next.
        self._finish(command_id, {'commandId': command_id, 'ok': False, 'error': 'cancelled: %s' % reason})

    def cancel_all(self, reason):
        with self._lock:
            ids = list(self._running)
        for command_id in ids:
            self.cancel({'commandId': command_id, 'reason': reason})

    def _execute(self, spec, args, ctx):
        try:
            output = spec.handler(args, ctx)
            payload = {'commandId': ctx.command_id, 'ok': True, 'result': truncate(format_output(output), RESULT_CHARS)}
        except Exception as err:  # noqa: BLE001 - any handler failure becomes ok:false for the asker
            payload = {'commandId': ctx.command_id, 'ok': False, 'error': truncate(error_message(err), TEXT_CHARS)}
        self._finish(ctx.command_id, payload)

    def _finish(self, command_id, payload):
        """Reports a command's one result; later calls for the same command are ignored."""
        with self._lock:
            running = self._running.pop(command_id, None)
            if running is None:
                return
            if running.timer is not None:
                running.timer.cancel()
            self._results[command_id] = payload
            while len(self._results) > REMEMBERED_RESULTS:
                self._results.popitem(last=False)
        self._on_result(payload)

    def _resolve(self, event):
        """The hub may send "top 5" as the command itself; the first word then names the handler."""
        command = str(event.get('command') or '').strip()
        args = str(event.get('args') or '').strip()
        if command in self._specs:
            return command, args, self._specs[command]
        parts = command.split(None, 1)
        name = parts[0] if parts else command
        inline = ' '.join(p for p in (parts[1] if len(parts) > 1 else '', args) if p)
        return name, inline, self._specs.get(name)

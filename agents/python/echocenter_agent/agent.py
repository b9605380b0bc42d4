"""An EchoCenter agent over python-socketio: connect with a token, publish the card, report logs, answer
commands and direct chat, and keep doing so across hub restarts.

Reconnection is ours, not python-socketio's: its built-in loop (5.7) does not restart after the server
closes the connection, and it cannot tell a refused token from a network error. Each attempt uses a fresh
socketio.Client so no state leaks from a dead connection; acked sends that were lost are resent by the
outboxes once a new connection is up.
"""

import logging
import threading
import time
import uuid

from .backoff import Backoff
from .chat import ChatResponder
from .chat_default import DefaultChat, help_text, is_help
from .commands import CommandDispatcher, CommandSpec
from .errors import AuthError, MissingDependency
from .inbox import InboxCatchUp, http_inbox_reader
from .intake import CommandIntake
from .outbox import Outbox, Transport
from .persona import PersonaChat
from .text import LOG_CHARS, LOG_LEVELS, truncate


def load_socketio():
    """Imports socketio and readies its HTTP transport; returns (socketio module, transports)."""
    try:
        import engineio.client
        import socketio
    except ImportError as err:
        raise MissingDependency(
            'python-socketio is not importable (%s). On Debian/Ubuntu: apt-get install -y python3-socketio, '
            'then run the agent with the system interpreter (/usr/bin/python3).' % err) from None
    from . import transport
    return socketio, transport.prepare(engineio.client)


class Agent(Transport):
    def __init__(self, url, token, name='agent', description='', version='', max_queued_logs=1000,
                 ack_timeout=5.0, connect_timeout=10.0, backoff=None, say=None, wire_logger=None, ssl_verify=True,
                 model=None, persona=None):
        if not url or not token:
            raise ValueError('url and token are required')
        self.url = url.rstrip('/')
        self.name = name
        self.description = description
        self.version = version
        self._token = token
        self._ack_timeout = ack_timeout
        self._connect_timeout = connect_timeout
        # False accepts a self-signed certificate on an https:// hub (a lab setup; never in production).
        self._ssl_verify = ssl_verify
        self._backoff = backoff or Backoff()
        self._say = say or (lambda line: None)
        # python-socketio/engineio log through this; quiet unless the caller asks for wire-level detail.
        self._wire_logger = wire_logger or _quiet_logger()
        self._lock = threading.RLock()
        self._client = None
        self._session = 0
        self._connected = threading.Event()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._ready = threading.Event()
        self.state = 'new'  # new -> running -> closing -> closed, or failed
        self.error = None
        self.commands = CommandDispatcher(self._emit_live_progress, self._push_result)
        self.chat = ChatResponder(self._emit_live_chunk, self._push_reply('chat:send'), self._push_reply('chat:end'))
        self._custom_chat = None
        # How the hub rules each command (the hello ack and `agent:card`): the claim alone never decides.
        self._policies = {}
        # Set once the hub's ruling on the card as last sent arrived on this connection; until then chat runs nothing.
        self._ruled = threading.Event()
        self.default_chat = DefaultChat(lambda: self.name, self.ruled_card, self.commands.spec, self._ruled.is_set)
        # A model for free text (AGENT_MODEL_*, see persona.py); without one the deterministic handler answers.
        self.persona = persona
        if model is not None:
            self.default_chat = PersonaChat(lambda: self.name, model, lambda: self.persona, self.ruled_card,
                                            self.commands.spec, self.default_chat)
        self.chat.handler = self._answer_chat
        self.logs = Outbox('logs', self, ack_timeout, limit=max_queued_logs, on_rejected=self._rejected,
                           drop_notice=lambda n: ('log:report', {
                               'level': 'WARNING', 'content': '%d log entries were dropped while disconnected (queue full)' % n,
                               'localId': str(uuid.uuid4())}))
        self.replies = Outbox('replies', self, ack_timeout, on_rejected=self._rejected)
        # Messages whose push was lost (a node died, Redis came back) or that came while away arrive anyway.
        self.inbox = InboxCatchUp(http_inbox_reader(self.url, token, ack_timeout * 2, ssl_verify), self._deliver_chat,
                                  lambda text: self._say('warning: ' + text))
        # Commands whose push was lost arrive anyway, and each is claimed before it runs (runs once).
        self.intake = CommandIntake(self.call, self.commands, lambda text: self._say('warning: ' + text), ack_timeout)

    # ---- public API -------------------------------------------------------------------------------

    def command(self, name, description='', args=None, read_only=False):
        """Decorator: registers `fn(args: str, ctx) -> str | object` as a command on the agent card."""
        def register(fn):
            self.commands.register(CommandSpec(name, fn, description, args, read_only))
            self._send_hello()  # a no-op while offline
            return fn
        return register

    def on_chat(self, fn):
        """Decorator: `fn(text, ctx)` answers direct messages from humans (return text or ctx.stream()) instead
        of the default handler (help, read-only commands, refusals); `help` still lists the commands."""
        self._custom_chat = fn
        return fn

    def help_text(self):
        """The `help` answer built from the card (with the hub's ruling), for a custom chat handler that wants it."""
        return help_text(self.name, self.ruled_card())

    def ruled_card(self):
        """The card with the hub's effective `policy` on each command it has ruled on."""
        card = self.card()
        policies = dict(self._policies)
        if policies:
            card['commands'] = [dict(c, policy=policies[c['name']]) if c['name'] in policies else c for c in card['commands']]
        return card

    def learn_policies(self, commands):
        """The hub's ruling, from the hello ack or an `agent:card` push: replaces the previous one. A hub
        without policies acks with none: the claims then stand, as that hub has no other word on them."""
        if isinstance(commands, list):
            self._policies = {c['name']: c['policy'] for c in commands
                              if isinstance(c, dict) and isinstance(c.get('name'), str) and c.get('policy')}
            self._ruled.set()

    def _answer_chat(self, text, ctx):
        # A message caught up at connect may come before the hub's ruling: wait for it a moment, so the
        # answer follows the ruling rather than "still connecting". An own handler decides for itself.
        if is_help(text) or self._custom_chat is None:
            self._ruled.wait(self._ack_timeout)
        if is_help(text):
            return self.help_text()
        return (self._custom_chat or self.default_chat)(text, ctx)

    def card(self):
        """The agent:hello payload: {description, version, commands: [{name, description, args?, readOnly}]}."""
        card = {'commands': [spec.card() for spec in self.commands.specs]}
        if self.description:
            card['description'] = self.description
        if self.version:
            card['version'] = self.version
        return card

    def log(self, level, content):
        """Reports a log line. Never raises; queued while offline (bounded), delivered in order with acks."""
        if self.state in ('closed', 'failed'):
            return
        level = level if level in LOG_LEVELS else 'INFO'
        # A localId per entry: a report resent after a lost ack is stored once.
        self.logs.push('log:report', {'level': level, 'content': truncate(str(content), LOG_CHARS), 'localId': str(uuid.uuid4())})

    @property
    def connected(self):
        return self._connected.is_set()

    def stats(self):
        return {'queued_logs': self.logs.size, 'dropped_logs': self.logs.dropped, 'pending_replies': self.replies.size,
                'running_commands': self.commands.running}

    def start(self):
        """Connects in the background; raises MissingDependency when python-socketio is not importable."""
        if self.state != 'new':
            return self
        self._socketio, self._transports = load_socketio()
        self.state = 'running'
        threading.Thread(target=self._supervise, name='echocenter-agent', daemon=True).start()
        return self

    def wait_ready(self, timeout=None):
        """Waits for the first connection (or a fatal error); returns whether connected."""
        self._ready.wait(timeout)
        return self._connected.is_set()

    def wait(self, timeout=None):
        """Blocks until close() or a fatal error; returns whether the agent stopped."""
        return self._done.wait(timeout)

    def close(self, timeout=2.0):
        """Stops reconnecting, cancels running commands, gives queued sends `timeout` s, then disconnects."""
        if self.state != 'running':
            self._done.set()
            return
        self.state = 'closing'
        self.commands.cancel_all('agent is shutting down')
        if self._connected.is_set():
            end = time.monotonic() + timeout
            self.replies.wait_idle(timeout)
            self.logs.wait_idle(max(0.0, end - time.monotonic()))
        self.state = 'closed'
        self._stop.set()
        self._drop_client(flush=1.0)
        self.logs.stop()
        self.replies.stop()
        self._done.set()

    # ---- Transport for the outboxes --------------------------------------------------------------

    def wait_connected(self, timeout):
        return self._connected.wait(timeout)

    def call(self, event, payload, timeout):
        with self._lock:
            client, session = self._client, self._session
        if client is None or not self._connected.is_set():
            return None
        got = threading.Event()
        box = []

        def ack(*args):
            box.append(args[0] if args else None)
            got.set()

        try:
            with self._lock:
                client.emit(event, payload, callback=ack)
        except Exception:  # noqa: BLE001 - a dying connection raises various errors; the send is simply lost
            return None
        end = time.monotonic() + timeout
        # Poll in slices so a disconnect frees the sender at once instead of after the full ack timeout.
        while not got.wait(0.1):
            if time.monotonic() >= end or self._session != session or not self._connected.is_set():
                return None
        return box[0]

    # ---- connection supervision -------------------------------------------------------------------

    def _supervise(self):
        while not self._stop.is_set():
            outcome, reason = self._run_session()
            if outcome == 'unauthorized':
                return self._fail(AuthError(self.url))
            if self._stop.is_set():
                break
            delay = self._backoff.next()
            self._say('reconnecting in %d ms (attempt %d, %s)' % (delay * 1000, self._backoff.attempts, reason))
            self._stop.wait(delay)

    def _run_session(self):
        """One connection attempt and, if it succeeds, its lifetime. Returns (outcome, reason)."""
        socketio = self._socketio
        client = socketio.Client(reconnection=False, handle_sigint=False, logger=self._wire_logger,
                                 engineio_logger=self._wire_logger, request_timeout=self._connect_timeout,
                                 ssl_verify=self._ssl_verify)
        joined, ended = threading.Event(), threading.Event()
        refusal = {}

        def on_connect_error(data=None, *_):
            # socket.io servers send {message, data: {code}}; a failed HTTP request arrives as a string.
            refusal['data'] = data
            joined.set()

        client.on('connect', joined.set)
        client.on('connect_error', on_connect_error)
        client.on('disconnect', lambda *_: ended.set())
        client.on('command:run', self.intake.deliver)
        client.on('command:cancel', self.commands.cancel)
        client.on('chat:message', self._on_chat_message)
        # The hub's node may have lost pushes on the way: catch up now.
        client.on('sync:hint', lambda *_: (self.inbox.start(), self.intake.start()))
        client.on('agent:card', lambda card=None, *_: self.learn_policies((card or {}).get('commands')))
        client.on('error', lambda err=None, *_: self._say('warning: hub reported %s' % (err,)))

        try:
            client.connect(self.url, auth={'token': self._token}, transports=self._transports, wait=False)
        except Exception as err:  # noqa: BLE001 - refused, reset, DNS...: all mean "try again later"
            return self._refused(refusal.get('data')) or ('failed', str(err) or type(err).__name__)
        joined.wait(self._connect_timeout)
        if not client.namespaces:
            _disconnect(client)
            return self._refused(refusal.get('data')) or ('failed', 'handshake timed out' if not refusal else _describe(refusal['data']))

        with self._lock:
            self._client = client
            self._session += 1
            # The card goes out before anything queued, so the hub knows the commands before any result.
            self._send_hello()
        self._connected.set()
        self._backoff.reset()
        self._say('connected to %s (%s)' % (self.url, client.transport()))
        self.logs.wake()
        self.replies.wake()
        self.inbox.start()
        self.intake.start()
        self._ready.set()

        # The 1 s re-check is a safety net for a transport that died without a disconnect event.
        while not ended.wait(1.0):
            if self._stop.is_set() or client.eio.state != 'connected':
                break
        self._drop_client()
        reason = 'closing' if self._stop.is_set() else 'connection lost'
        if not self._stop.is_set():
            self._say('disconnected (%s)' % reason)
        return 'lost', reason

    def _on_chat_message(self, message):
        self.inbox.live()
        self._deliver_chat(message)

    def _deliver_chat(self, message):
        threading.Thread(target=self.chat.handle, args=(message,), name='chat-reply', daemon=True).start()

    def _refused(self, data):
        if isinstance(data, dict) and isinstance(data.get('data'), dict) and data['data'].get('code') == 'UNAUTHORIZED':
            return 'unauthorized', 'UNAUTHORIZED'
        return None

    def _drop_client(self, flush=0.0):
        with self._lock:
            client, self._client = self._client, None
            self._session += 1
        self._connected.clear()
        if client is not None:
            _disconnect(client, flush)

    def _fail(self, error):
        self.error = error
        self.state = 'failed'
        self._stop.set()
        self.commands.cancel_all(str(error))
        self.logs.stop()
        self.replies.stop()
        self._ready.set()
        self._done.set()

    # ---- sends -------------------------------------------------------------------------------------

    def _send_hello(self):
        """Emits the card now; not waiting for the ack (a lost hello is re-sent on the next connect)."""
        def acked(ack=None, *_):
            if isinstance(ack, dict) and not ack.get('ok'):
                self._say('warning: hub refused agent:hello: %s' % _describe(ack))
            elif isinstance(ack, dict):
                self.learn_policies(ack.get('commands') or [])
        with self._lock:
            client = self._client
            if client is None:
                return
            # Until the ack, the ruling held is for another card (or another connection).
            self._ruled.clear()
            try:
                client.emit('agent:hello', self.card(), callback=acked)
            except Exception:  # noqa: BLE001 - lost with the connection; the next connect sends it
                pass

    def _emit_live(self, event, payload):
        """Progress and chunks are live only: dropped while offline rather than replayed late."""
        with self._lock:
            client = self._client
            if client is None or not self._connected.is_set():
                return
            try:
                client.emit(event, payload)
            except Exception:  # noqa: BLE001 - lost with the connection, by design
                pass

    def _emit_live_progress(self, payload):
        self._emit_live('command:progress', payload)

    def _emit_live_chunk(self, payload):
        self._emit_live('chat:chunk', payload)

    def _push_result(self, payload):
        self.replies.push('command:result', payload)

    def _push_reply(self, event):
        return lambda payload: self.replies.push(event, payload)

    def _rejected(self, event, payload, reason):
        self._say('warning: hub refused %s: %s' % (event, reason))


def _describe(data):
    if isinstance(data, dict):
        error = data.get('error') or data.get('data') or {}
        code = error.get('code') if isinstance(error, dict) else None
        return '%s: %s' % (code or 'ERROR', (error.get('message') if isinstance(error, dict) else None) or data.get('message', ''))
    return str(data)


def _disconnect(client, flush=0.0):
    try:
        client.disconnect()
        # disconnect() only queues the goodbye packets; on a clean stop give the writer a moment to send
        # them, so the hub sees "client namespace disconnect" rather than a transport error.
        writer = getattr(client.eio, 'write_loop_task', None)
        if flush and writer is not None:
            writer.join(flush)
    except Exception:  # noqa: BLE001 - already gone
        pass


def _quiet_logger():
    logger = logging.getLogger('echocenter_agent.wire')
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        logger.setLevel(logging.CRITICAL)
    return logger

"""Answers direct messages from humans and the Butler (its ask_agent questions): live `chat:chunk`s, then one stored `chat:send` with the full text
and the same streamId (and `replyTo`: the message it answers), then `chat:end` (docs/protocol.md, "Chat")."""

import collections
import threading
import uuid

from .text import TEXT_CHARS, error_message, truncate

# Never another agent: two agents answering each other would loop forever. The Butler never answers an
# agent's message with a turn, so answering its questions cannot loop.
ANSWERED_KINDS = frozenset(['ADMIN', 'MEMBER', 'BUTLER'])
# Message ids remembered as answered: the hub pushes a message again when its sender resends it.
REMEMBERED_IDS = 1000


class ChatContext:
    def __init__(self, message, stream):
        # The stored message as the hub delivered it: id, senderId, senderName, senderKind, text, createdAt...
        self.message = message
        self.stream = stream


class ChatResponder:
    """`handler(text, ctx)` returns the reply, or streams it with ctx.stream(piece) and returns None."""

    def __init__(self, chunk, send, end, new_id=lambda: str(uuid.uuid4())):
        self._chunk = chunk
        self._send = send
        self._end = end
        self._new_id = new_id
        self.handler = None
        # Messages are handled on threads of their own, so the memory of answered ids takes a lock.
        self._answered = collections.OrderedDict()
        self._answered_lock = threading.Lock()

    def handle(self, message):
        if self.handler is None or not isinstance(message, dict) or message.get('senderKind') not in ANSWERED_KINDS:
            return
        if self._seen(message.get('id')):
            return
        target_id = message.get('senderId')
        stream_id = self._new_id()
        streamed = []

        def stream(text):
            if text:
                streamed.append(text)
                self._chunk({'targetId': target_id, 'streamId': stream_id, 'text': truncate(text, TEXT_CHARS)})

        try:
            output = self.handler(str(message.get('text') or ''), ChatContext(message, stream))
            reply = output if isinstance(output, str) else ''.join(streamed)
        except Exception as err:  # noqa: BLE001 - the human gets an answer either way
            so_far = ''.join(streamed)
            reply = (so_far + '\n\n' if so_far else '') + 'Sorry, that failed: ' + error_message(err)
        text = truncate(reply, TEXT_CHARS)
        reply_to = message.get('id') if isinstance(message.get('id'), int) else None
        links = {} if reply_to is None else {'replyTo': reply_to}
        if not streamed:
            if text:
                self._send(dict({'targetId': target_id, 'text': text, 'localId': self._new_id()}, **links))
            return
        # localId = streamId: a resent chat:send after a reconnect is stored once.
        self._send(dict({'targetId': target_id, 'text': text, 'streamId': stream_id, 'localId': stream_id}, **links))
        self._end({'targetId': target_id, 'streamId': stream_id})

    def _seen(self, message_id):
        """True for an id answered before; remembers the newest REMEMBERED_IDS."""
        with self._answered_lock:
            if message_id in self._answered:
                return True
            self._answered[message_id] = True
            if len(self._answered) > REMEMBERED_IDS:
                self._answered.popitem(last=False)
            return False

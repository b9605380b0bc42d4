"""The chat handler every agent gets unless it sets its own (docs/agents.md, "Default chat"): `help` lists
the commands, a read-only command typed in chat runs and answers, a side-effecting one is refused (only the
hub's approval flow may run it), anything else gets a hint. Chat text is untrusted: bounded, never a shell."""

import re
import threading

from .commands import CommandContext
from .text import RESULT_CHARS, format_output, truncate

# Chat text longer than this is not parsed as a command.
MAX_CHAT_COMMAND_CHARS = 2000
# A command's result longer than this reaches the chat as a stream of pieces this long.
STREAM_OVER_CHARS = 2000
# How long a command typed in chat may take before the human is told so.
CHAT_COMMAND_TIMEOUT = 60.0

_HELP = re.compile(r'^\s*(/?help|\?|/?commands)\s*[.!?]?\s*$', re.IGNORECASE)
_LINE = re.compile(r'^(\S+)\s*(.*)$', re.DOTALL)
HINT = 'I don\'t understand that. Try "help" for the commands I know.'


def is_help(text):
    return bool(_HELP.match(text or ''))


def is_read_only(command):
    """The agent's own claim, and the hub's effective policy too when known: either saying no keeps it out."""
    policy = command.get('policy')
    return command.get('readOnly') is True and (policy is None or policy == 'READ_ONLY')


def policy_label(command):
    policy = command.get('policy')
    if policy == 'READ_ONLY':
        return 'read-only'
    if policy == 'NEEDS_APPROVAL':
        return 'needs approval'
    if policy == 'DESTRUCTIVE':
        return 'destructive, needs approval every time'
    return 'read-only (if an admin confirmed it)' if command.get('readOnly') else 'needs approval'


def help_text(name, card):
    commands = (card or {}).get('commands') or []
    description = (card or {}).get('description')
    lines = [name + (' — ' + description if description else '')]
    if not commands:
        lines.append('I have no commands.')
        return '\n'.join(lines)
    lines.append('Commands:')
    for command in commands:
        usage = ' '.join(p for p in (command.get('name'), command.get('args')) if p)
        about = ' — ' + command['description'] if command.get('description') else ''
        lines.append('- %s%s [%s]' % (usage, about, policy_label(command)))
    lines.append('Type a read-only command here to run it. Others need an approved request: '
                 'ask the Butler: %s: <command>.' % name)
    return '\n'.join(lines)


def command_line(card, line):
    """(command card entry, rest of the line) when the line starts with one of the card's commands, else None."""
    match = _LINE.match((line or '').strip())
    if not match:
        return None
    word, rest = match.group(1), match.group(2).strip()
    command = next((c for c in (card or {}).get('commands') or [] if str(c.get('name', '')).lower() == word.lower()), None)
    return (command, rest) if command is not None else None


def still_connecting_text(command):
    """Said for a command the card claims read-only while the hub's ruling has not arrived yet."""
    return ('I am still connecting to the hub and do not know yet whether "%s" may run from a chat. '
            'Try again in a moment.' % command)


def refusal_text(agent_name, command, args=''):
    """Why a side-effecting command is not run from a chat, and how to ask for it properly."""
    usage = ' '.join(p for p in (command, (args or '').strip()) if p)
    return ('"%s" changes things, so I only run it as an approved request, never from a chat. '
            'Ask the Butler: %s: %s (for example, tell the Butler "ask %s to %s").'
            % (command, agent_name, usage, agent_name, usage))


class DefaultChat:
    """`handler(text, ctx)` for a ChatResponder, built from the agent's card and its command specs."""

    def __init__(self, name, card, specs, ruled, timeout=CHAT_COMMAND_TIMEOUT):
        self._name = name  # a callable: the agent's name
        self._card = card  # a callable: the card dict
        self._specs = specs  # a callable: name -> CommandSpec or None
        # A callable: whether the hub's ruling on the card arrived (hello ack or agent:card). Until it has,
        # nothing runs from a chat: the agent's own read-only claim is not enough.
        self.ruled = ruled
        self._timeout = timeout

    def __call__(self, text, ctx):
        line = (text or '').strip()
        name = self._name()
        card = self._card()
        if is_help(line):
            return help_text(name, card)
        if not line or len(line) > MAX_CHAT_COMMAND_CHARS:
            return HINT
        parsed = command_line(card, line)
        if parsed is None:
            return HINT
        command, rest = parsed
        if not self.ruled() and command.get('readOnly') is True:
            return still_connecting_text(command['name'])
        if not is_read_only(command):
            return refusal_text(name, command['name'], rest)
        spec = self._specs(command['name'])
        if spec is None:
            return '"%s" is on my card but I have no handler for it right now.' % command['name']
        return self.run_command(spec, rest, ctx)

    def run_command(self, spec, args, ctx):
        """Runs a read-only command for a chat line (or a model's tool call); returns the reply text."""
        message = ctx.message
        sender = {'id': message.get('senderId'), 'name': message.get('senderName'), 'kind': message.get('senderKind')}
        cancelled = threading.Event()

        def progress(payload):
            piece = payload.get('text') or ''
            ctx.stream(piece if piece.endswith('\n') else piece + '\n')

        command_ctx = CommandContext(0, spec.name, args, sender, None, cancelled, progress)
        outcome = {}

        def work():
            try:
                outcome['output'] = spec.handler(args, command_ctx)
            except Exception as err:  # noqa: BLE001 - reported to the human below
                outcome['error'] = err

        worker = threading.Thread(target=work, name='chat-command-' + spec.name, daemon=True)
        worker.start()
        worker.join(self._timeout)
        if worker.is_alive():
            command_ctx.cancel_reason = 'took too long'
            cancelled.set()
            raise TimeoutError('%s took longer than %g s' % (spec.name, self._timeout))
        if 'error' in outcome:
            raise outcome['error']
        reply = truncate(format_output(outcome.get('output')), RESULT_CHARS) or '%s: done (no output).' % spec.name
        if len(reply) > STREAM_OVER_CHARS:
            for i in range(0, len(reply), STREAM_OVER_CHARS):
                ctx.stream(reply[i:i + STREAM_OVER_CHARS])
        return reply

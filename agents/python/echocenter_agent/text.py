"""Text helpers shared by the client and the simulators; the limits mirror the hub's (docs/protocol.md)."""

import json
import re

# Message text <= 16 KiB and log content <= 8 KiB on the hub; the margin leaves room for the JSON envelope.
TEXT_CHARS = 16000
LOG_CHARS = 8000
RESULT_CHARS = 48000

LOG_LEVELS = ('INFO', 'SUCCESS', 'WARNING', 'ERROR')

_ARG = re.compile(r'"([^"]*)"|\'([^\']*)\'|(\S+)')


def truncate(text, limit):
    """Cuts `text` to `limit` characters and says how much was cut, so a reader is never misled."""
    if len(text) <= limit:
        return text
    note = '… [truncated %d chars]' % (len(text) - limit)
    return text[:max(0, limit - len(note))] + note


def format_output(value):
    """What a command result carries: strings as they are, None as '', anything else as JSON."""
    if value is None:
        return ''
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def split_args(args):
    """Splits command arguments on whitespace, keeping "double" or 'single' quoted parts together."""
    return [m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ARG.finditer(args or '')]


def error_message(err):
    text = str(err)
    return text if text else type(err).__name__

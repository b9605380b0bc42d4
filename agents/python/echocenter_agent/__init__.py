"""EchoCenter agents in Python: the hub's Socket.IO protocol on python-socketio (Debian's python3-socketio)
and the standard library. See docs/agents.md, "Python agents"."""

from .agent import Agent, load_socketio
from .backoff import Backoff
from .chat_default import DefaultChat, help_text
from .commands import CommandContext, CommandDispatcher, CommandSpec
from .errors import AuthError, CommandCancelled, Exit, MissingDependency
from .persona import PersonaChat, model_from_env
from .run import check_runtime, run

__all__ = ['Agent', 'AuthError', 'Backoff', 'CommandCancelled', 'CommandContext', 'CommandDispatcher', 'CommandSpec', 'DefaultChat',
           'Exit', 'MissingDependency', 'PersonaChat', 'check_runtime', 'help_text', 'load_socketio', 'model_from_env', 'run']

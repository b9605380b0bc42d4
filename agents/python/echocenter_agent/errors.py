"""Errors and process exit codes; the codes match the TypeScript SDK's so one launcher handles both."""


class Exit:
    OK = 0
    ERROR = 1
    # The hub refused the token: restarting cannot help.
    AUTH = 2
    USAGE = 64
    # python3-socketio is not importable by this interpreter (sysexits EX_UNAVAILABLE).
    UNAVAILABLE = 69


class AuthError(Exception):
    """The hub refused the agent token (connect_error UNAUTHORIZED). The client stops instead of retrying."""

    code = 'UNAUTHORIZED'

    def __init__(self, url):
        super().__init__('EchoCenter at %s refused the agent token (UNAUTHORIZED). '
                         'Check the token, or rotate it in the console.' % url)
        self.url = url


class MissingDependency(Exception):
    """socketio/engineio cannot be imported; the message says how to install them."""


class CommandCancelled(Exception):
    """Raised by ctx.check() inside a command handler once the command was cancelled or timed out."""

    def __init__(self, reason):
        super().__init__('cancelled: %s' % reason)
        self.reason = reason

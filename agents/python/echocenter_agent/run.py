"""Running an agent as a process: flags and environment, signals, one clear line per event, exit codes."""

import argparse
import logging
import os
import signal
import sys
import threading

from .agent import Agent, load_socketio
from .errors import Exit, MissingDependency
from .persona import model_from_env


def add_connection_args(parser):
    """--url/--token/--name/--verbose; ECHO_URL and ECHO_TOKEN are the defaults.

    Prefer ECHO_TOKEN: a token on the command line is visible to every local user in `ps`.
    """
    parser.add_argument('--url', default=os.environ.get('ECHO_URL', 'http://127.0.0.1:3000'),
                        help='hub origin (env ECHO_URL, default http://127.0.0.1:3000)')
    parser.add_argument('--token', default=os.environ.get('ECHO_TOKEN'), help='agent token (env ECHO_TOKEN)')
    parser.add_argument('--name', default=None, help='name used in this process\'s own output')
    parser.add_argument('--verbose', action='store_true', help='log python-socketio/engineio traffic to stderr')
    parser.add_argument('--check', action='store_true',
                        help='only check that python-socketio is usable here, print one line, exit 0 or 69')
    return parser


def check_runtime(out=sys.stdout):
    """For launchers: one line saying whether this interpreter can run an agent; returns the exit code."""
    try:
        socketio, transports = load_socketio()
    except MissingDependency as err:
        out.write('unavailable: %s\n' % err)
        return Exit.UNAVAILABLE
    import engineio.client
    from . import transport
    out.write('ok: python-socketio %s on %s (%s; transports %s)\n' % (
        _version(socketio), sys.executable, transport.describe(engineio.client), ','.join(transports)))
    return Exit.OK


def run(build, argv=None, name='agent', description=None, extra_args=None):
    """Parses flags, builds the agent with `build(agent_kwargs, options)`, runs it until SIGINT/SIGTERM.

    `build` returns (agent, stop) where stop() ends the agent's own work (timers, threads) on shutdown;
    `extra_args(parser)` adds the program's own flags.
    Returns the process exit code: 0 on a clean stop, 2 when the hub refuses the token, 64 on bad usage,
    69 when python-socketio is missing.
    """
    parser = add_connection_args(argparse.ArgumentParser(prog=name, description=description))
    if extra_args is not None:
        extra_args(parser)
    options = parser.parse_args(argv)
    if options.check:
        return check_runtime()
    label = options.name or name

    def say(line):
        sys.stdout.write('[%s] %s\n' % (label, line))
        sys.stdout.flush()

    if not options.token:
        sys.stderr.write('[%s] no agent token: pass --token or set ECHO_TOKEN\n' % label)
        return Exit.USAGE
    wire_logger = None
    if options.verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr)
        wire_logger = logging.getLogger('echocenter_agent.wire')
    # A model for chat (AGENT_MODEL_*) and a persona (AGENT_PERSONA): see persona.py.
    agent_kwargs = dict(url=options.url, token=options.token, name=label, say=say, wire_logger=wire_logger,
                        model=model_from_env(), persona=os.environ.get('AGENT_PERSONA') or None)
    agent, stop = build(agent_kwargs, options)
    try:
        agent.start()
    except MissingDependency as err:
        sys.stderr.write('[%s] %s\n' % (label, err))
        return Exit.UNAVAILABLE

    def shutdown(signum, _frame):
        say('%s received, shutting down' % signal.Signals(signum).name)
        # close() waits for acks; run it off the signal handler so the main thread keeps waiting.
        threading.Thread(target=agent.close, name='shutdown', daemon=True).start()

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    try:
        # wait() in slices: a bare Event.wait() would keep Python from running the signal handlers promptly.
        while not agent.wait(0.5):
            pass
    finally:
        stop()
    if agent.error is not None:
        sys.stderr.write('[%s] %s\n' % (label, agent.error))
        return Exit.AUTH if getattr(agent.error, 'code', None) == 'UNAUTHORIZED' else Exit.ERROR
    return Exit.OK


def _version(socketio):
    version = getattr(socketio, '__version__', None)
    if version:
        return version
    try:
        from importlib import metadata
        return metadata.version('python-socketio')
    except Exception:  # noqa: BLE001 - Debian's egg-info may not be found by every interpreter
        return '(version unknown)'


__all__ = ['Agent', 'Exit', 'add_connection_args', 'check_runtime', 'run']

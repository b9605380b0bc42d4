#!/usr/bin/env python3
"""System-Monitor: an EchoCenter agent in Python that watches the host it runs on.

Reports load average, memory and disk usage (from /proc and os.statvfs) as a periodic INFO log, raises
WARNING logs when a threshold is crossed (and SUCCESS when it recovers), and answers two read-only commands,
`get_status` and `top`, plus direct chat ("status", "top", "help").

    ECHO_TOKEN=... python3 agents/python/system_monitor.py --url http://127.0.0.1:3000

Exit codes: 0 stopped cleanly, 2 token refused, 64 bad usage, 69 python3-socketio missing.
"""

import argparse
import os
import socket
import sys
import threading
import time

# Runnable from any working directory without installing anything.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from echocenter_agent import Agent, run  # noqa: E402
from sysmon import alerts, probes  # noqa: E402

VERSION = '1.0.0'
HELP = ('I watch this host. Ask me "status" for load, memory and disk, or "top" (optionally "top 10 mem") for '
        'the busiest processes. I also log a status line periodically and a WARNING when a threshold is crossed.')


class SystemMonitor:
    def __init__(self, agent, options):
        self.agent = agent
        self.options = options
        self.limits = alerts.Thresholds(options.load_warn, options.mem_warn, options.disk_warn)
        self.tracker = alerts.AlertTracker(options.remind)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        agent.command('get_status', 'Load average, memory and disk usage of the host, with active alerts.',
                      args='[json]', read_only=True)(self.get_status)
        agent.command('top', 'The busiest processes, sampled over about a second (CPU% of one core, RSS).',
                      args='[count 1-50] [cpu|mem]', read_only=True)(self.top)
        agent.on_chat(self.chat)

    def snapshot(self):
        return probes.snapshot(self.options.proc, self.options.disks)

    # ---- commands ----------------------------------------------------------------------------------

    def get_status(self, args, ctx):
        snap = self.snapshot()
        if ctx.argv[:1] == ['json']:
            return {**snap, 'thresholds': vars(self.limits), 'alerts': self.tracker.active}
        return alerts.status_report(snap, self.limits, self.tracker.active)

    def top(self, args, ctx):
        count, by = parse_top_args(ctx.argv)
        sample = self.options.top_sample
        ctx.progress('sampling processes for %.1f s…' % sample)
        before = probes.read_processes(self.options.proc)
        ctx.sleep(sample)  # raises CommandCancelled if the asker gives up meanwhile
        rows = probes.top_processes(before, probes.read_processes(self.options.proc), sample, count, by)
        return format_top(rows, by)

    def chat(self, text, ctx):
        words = text.strip().lower().split()
        if words[:1] == ['top']:
            count, by = parse_top_args(words[1:])
            ctx.stream('Sampling processes for %.1f s…\n' % self.options.top_sample)
            before = probes.read_processes(self.options.proc)
            time.sleep(self.options.top_sample)
            rows = probes.top_processes(before, probes.read_processes(self.options.proc), self.options.top_sample, count, by)
            ctx.stream(format_top(rows, by))
            return None
        if words[:1] in (['help'], ['?']):
            return HELP
        # Anything else gets the status, streamed a line at a time as an operator would watch it arrive.
        for line in alerts.status_report(self.snapshot(), self.limits, self.tracker.active).splitlines():
            ctx.stream(line + '\n')
        return None

    # ---- periodic work ---------------------------------------------------------------------------

    def start(self):
        self.agent.log('INFO', 'System-Monitor %s watching %s (%s)' % (VERSION, socket.gethostname(), self.limits.describe()))
        threading.Thread(target=self._loop, name='system-monitor', daemon=True).start()

    def stop(self):
        self._stop.set()

    def tick(self, now, log_status):
        """One check: alert lines always, the status line when due. Returns what was logged (for tests)."""
        try:
            snap = self.snapshot()
        except (OSError, ValueError) as err:
            lines = [('ERROR', 'cannot read host metrics: %s' % err)]
        else:
            with self._lock:
                lines = self.tracker.update(alerts.breaches(snap, self.limits), now)
            if log_status:
                lines.insert(0, ('INFO', alerts.status_line(snap)))
        for level, content in lines:
            self.agent.log(level, content)
        return lines

    def _loop(self):
        last_status = None
        while not self._stop.is_set():
            now = time.monotonic()
            due = last_status is None or now - last_status >= self.options.interval
            self.tick(time.time(), due)
            if due:
                last_status = now
            self._stop.wait(self.options.check_every)


def parse_top_args(argv):
    """["10", "mem"] -> (10, 'mem'); defaults 5 and cpu; the count is clamped to 1..50."""
    count, by = 5, 'cpu'
    for word in argv:
        if word.isdigit():
            count = min(50, max(1, int(word)))
        elif word in ('cpu', 'mem', 'memory'):
            by = 'mem' if word.startswith('mem') else 'cpu'
        else:
            raise ValueError('top takes [count] [cpu|mem], got "%s"' % word)
    return count, by


def format_top(rows, by):
    lines = ['Top %d processes by %s:' % (len(rows), 'memory' if by == 'mem' else 'CPU'),
             '%7s %6s %10s %s  %s' % ('PID', 'CPU%', 'RSS', 'S', 'NAME')]
    for r in rows:
        lines.append('%7d %6.1f %10s %s  %s' % (r['pid'], r['cpu_pct'], probes.human_bytes(r['rss']), r['state'], r['name']))
    return '\n'.join(lines)


def extra_args(parser):
    parser.add_argument('--interval', type=float, default=float(os.environ.get('SYSMON_INTERVAL', 60)),
                        help='seconds between status logs (env SYSMON_INTERVAL, default 60)')
    parser.add_argument('--check-every', type=float, default=10.0, help='seconds between threshold checks (default 10)')
    parser.add_argument('--load-warn', type=float, default=2.0, help='WARNING at this 1-min load per CPU (default 2.0)')
    parser.add_argument('--mem-warn', type=float, default=90.0, help='WARNING at this memory used %% (default 90)')
    parser.add_argument('--disk-warn', type=float, default=90.0, help='WARNING at this disk used %% (default 90)')
    parser.add_argument('--remind', type=float, default=900.0, help='repeat an active alert every N s (0: never; default 900)')
    parser.add_argument('--disks', type=lambda s: [p for p in s.split(',') if p], default=['/'],
                        help='comma-separated mount points to watch (default /)')
    parser.add_argument('--top-sample', type=float, default=1.0, help='seconds `top` samples CPU over (default 1)')
    # A fake /proc root, for tests only.
    parser.add_argument('--proc', default='/proc', help=argparse.SUPPRESS)


def build(connection, options):
    agent = Agent(description='Watches load average, memory and disk of host %s (Python, /proc)' % socket.gethostname(),
                  version=VERSION, **connection)
    agent.persona = agent.persona or ('A calm system monitor. You answer about this host\'s load, memory and disk '
                                      'from your own readings, with numbers, and say what looks unusual.')
    monitor = SystemMonitor(agent, options)
    monitor.start()
    return agent, monitor.stop


def main(argv=None):
    return run(build, argv, name='system-monitor', description=__doc__.split('\n\n')[0], extra_args=extra_args)


if __name__ == '__main__':
    sys.exit(main())

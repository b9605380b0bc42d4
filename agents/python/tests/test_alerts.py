"""Alert rules and the System-Monitor's own logic (tick, top arguments), without a hub."""

import unittest
from types import SimpleNamespace

import system_monitor
from sysmon import alerts


def snap(load1=0.5, cpus=2, mem_pct=50.0, disk_pct=40.0):
    return {'host': 'h', 'cpus': cpus, 'uptime_s': 3 * 86400 + 3600 * 5 + 120,
            'load': {'load1': load1, 'load5': load1, 'load15': load1, 'per_cpu': round(load1 / cpus, 2), 'running': 1, 'processes': 100},
            'memory': {'total': 1000, 'available': 1000 - mem_pct * 10, 'used': mem_pct * 10, 'used_pct': mem_pct,
                       'swap_total': 0, 'swap_used': 0, 'swap_pct': 0.0},
            'disks': [{'path': '/', 'total': 100, 'used': disk_pct, 'available': 100 - disk_pct, 'used_pct': disk_pct},
                      {'path': '/gone', 'error': 'No such file or directory'}]}


class BreachesTest(unittest.TestCase):
    limits = alerts.Thresholds(load_per_cpu=1.0, memory_pct=80, disk_pct=90)

    def test_nothing_under_the_thresholds(self):
        self.assertEqual(alerts.breaches(snap(), self.limits), {})

    def test_at_the_threshold_counts(self):
        found = alerts.breaches(snap(load1=2.0, mem_pct=80, disk_pct=90), self.limits)
        self.assertEqual(sorted(found), ['disk:/', 'load', 'memory'])
        self.assertIn('1.00 per CPU', found['load'])
        self.assertIn('80.0% used', found['memory'])


class TrackerTest(unittest.TestCase):
    def test_warns_once_reminds_then_recovers(self):
        tracker = alerts.AlertTracker(remind_s=60)
        breach = {'memory': 'memory 95% used'}
        self.assertEqual(tracker.update(breach, now=0), [('WARNING', 'ALERT memory 95% used')])
        self.assertEqual(tracker.update(breach, now=30), [])
        self.assertEqual(tracker.update(breach, now=61), [('WARNING', 'STILL memory 95% used')])
        self.assertEqual(tracker.active, ['memory'])
        self.assertEqual(tracker.update({}, now=62), [('SUCCESS', 'RECOVERED memory is back under its threshold')])
        self.assertEqual(tracker.active, [])

    def test_no_reminders_when_disabled(self):
        tracker = alerts.AlertTracker(remind_s=0)
        tracker.update({'load': 'x'}, now=0)
        self.assertEqual(tracker.update({'load': 'x'}, now=10 ** 6), [])


class ReportTest(unittest.TestCase):
    def test_status_line_and_report(self):
        line = alerts.status_line(snap(load1=1.5))
        self.assertIn('load 1.50', line)
        self.assertIn('/gone unreadable', line)
        report = alerts.status_report(snap(), alerts.Thresholds(), ['memory'])
        self.assertIn('up 3d 5h 2m', report)
        self.assertIn('Disk /gone: unreadable', report)
        self.assertTrue(report.endswith('Alerts: memory'))


class FakeAgent:
    def __init__(self):
        self.logs = []
        self.commands = {}

    def log(self, level, content):
        self.logs.append((level, content))

    def command(self, name, description='', args=None, read_only=False):
        def register(fn):
            self.commands[name] = (fn, read_only)
            return fn
        return register

    def on_chat(self, fn):
        self.chat = fn


def options(**over):
    base = dict(load_warn=1.0, mem_warn=80.0, disk_warn=90.0, remind=0, proc='/proc', disks=['/'], top_sample=0.01)
    base.update(over)
    return SimpleNamespace(**base)


class MonitorTest(unittest.TestCase):
    def test_commands_are_read_only(self):
        agent = FakeAgent()
        system_monitor.SystemMonitor(agent, options())
        self.assertEqual({name: ro for name, (_, ro) in agent.commands.items()}, {'get_status': True, 'top': True})

    def test_tick_logs_status_when_due_and_alerts_on_crossings(self):
        agent = FakeAgent()
        monitor = system_monitor.SystemMonitor(agent, options())
        readings = iter([snap(mem_pct=85), snap(mem_pct=85), snap(mem_pct=10)])
        monitor.snapshot = lambda: next(readings)
        monitor.tick(0, log_status=True)
        monitor.tick(10, log_status=False)
        monitor.tick(20, log_status=False)
        self.assertEqual([level for level, _ in agent.logs], ['INFO', 'WARNING', 'SUCCESS'])

    def test_tick_reports_unreadable_metrics_as_error(self):
        agent = FakeAgent()
        monitor = system_monitor.SystemMonitor(agent, options())

        def broken():
            raise OSError('no /proc')
        monitor.snapshot = broken
        self.assertEqual(monitor.tick(0, True), [('ERROR', 'cannot read host metrics: no /proc')])

    def test_top_arguments(self):
        self.assertEqual(system_monitor.parse_top_args([]), (5, 'cpu'))
        self.assertEqual(system_monitor.parse_top_args(['10', 'mem']), (10, 'mem'))
        self.assertEqual(system_monitor.parse_top_args(['999']), (50, 'cpu'))
        with self.assertRaises(ValueError):
            system_monitor.parse_top_args(['everything'])

    def test_get_status_json_and_top_on_this_host(self):
        agent = FakeAgent()
        system_monitor.SystemMonitor(agent, options())
        ctx = SimpleNamespace(argv=['json'], progress=lambda text: None, sleep=lambda s: None)
        status = agent.commands['get_status'][0]('json', ctx)
        self.assertIn('memory', status)
        self.assertEqual(status['alerts'], [])
        ctx.argv = ['3']
        table = agent.commands['top'][0]('3', ctx)
        self.assertTrue(table.startswith('Top 3 processes by CPU'))


if __name__ == '__main__':
    unittest.main()

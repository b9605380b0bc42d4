"""Host probes: /proc parsing and the arithmetic behind load, memory, disk and top."""

import os
import tempfile
import unittest
from types import SimpleNamespace

from sysmon import probes

MEMINFO = """MemTotal:       16384000 kB
MemFree:         1024000 kB
MemAvailable:    4096000 kB
Buffers:          512000 kB
Cached:          2048000 kB
SwapTotal:       2048000 kB
SwapFree:        1536000 kB
HugePages_Total:       0
"""


def stat_line(pid, name, state='S', utime=0, stime=0, rss=0):
    # 52 fields as the kernel writes them; only the ones we read are meaningful.
    rest = [state] + ['0'] * 10 + [str(utime), str(stime)] + ['0'] * 8 + [str(rss)] + ['0'] * 27
    return '%d (%s) %s\n' % (pid, name, ' '.join(rest))


class ParseTest(unittest.TestCase):
    def test_loadavg(self):
        self.assertEqual(probes.parse_loadavg('0.52 1.58 2.59 3/1234 5678\n'),
                         {'load1': 0.52, 'load5': 1.58, 'load15': 2.59, 'running': 3, 'processes': 1234})

    def test_loadavg_rejects_garbage(self):
        with self.assertRaises(ValueError):
            probes.parse_loadavg('nonsense')

    def test_meminfo_uses_mem_available(self):
        mem = probes.parse_meminfo(MEMINFO)
        self.assertEqual(mem['total'], 16384000 * 1024)
        self.assertEqual(mem['available'], 4096000 * 1024)
        self.assertEqual(mem['used'], (16384000 - 4096000) * 1024)
        self.assertEqual(mem['used_pct'], 75.0)
        self.assertEqual(mem['swap_used'], 512000 * 1024)
        self.assertEqual(mem['swap_pct'], 25.0)

    def test_meminfo_without_mem_available_falls_back_to_free_buffers_cached(self):
        old_kernel = '\n'.join(line for line in MEMINFO.splitlines() if not line.startswith('MemAvailable'))
        mem = probes.parse_meminfo(old_kernel)
        self.assertEqual(mem['available'], (1024000 + 512000 + 2048000) * 1024)

    def test_meminfo_without_swap(self):
        mem = probes.parse_meminfo('MemTotal: 1000 kB\nMemAvailable: 250 kB\n')
        self.assertEqual((mem['used_pct'], mem['swap_total'], mem['swap_pct']), (75.0, 0, 0.0))

    def test_meminfo_requires_total(self):
        with self.assertRaises(ValueError):
            probes.parse_meminfo('MemFree: 1 kB\n')

    def test_disk_usage_counts_reserved_blocks_as_unavailable_like_df(self):
        fake = SimpleNamespace(f_blocks=1000, f_bfree=300, f_bavail=200, f_frsize=4096)
        disk = probes.disk_usage('/data', statvfs=lambda path: fake)
        self.assertEqual(disk['total'], 4096000)
        self.assertEqual(disk['used'], 700 * 4096)
        self.assertEqual(disk['available'], 200 * 4096)
        self.assertEqual(disk['used_pct'], 77.8)  # 700 / (700 + 200)

    def test_pid_stat_with_spaces_and_parentheses_in_the_name(self):
        parsed = probes.parse_pid_stat(stat_line(42, 'my (odd) proc', 'R', utime=120, stime=30, rss=256))
        self.assertEqual(parsed, {'pid': 42, 'name': 'my (odd) proc', 'state': 'R', 'ticks': 150, 'rss_pages': 256})

    def test_uptime(self):
        self.assertEqual(probes.parse_uptime('12345.67 54321.00\n'), 12345.67)

    def test_human_bytes(self):
        self.assertEqual(probes.human_bytes(512), '512 B')
        self.assertEqual(probes.human_bytes(1536), '1.5 KiB')
        self.assertEqual(probes.human_bytes(3 * 1024 ** 3), '3.0 GiB')


class TopTest(unittest.TestCase):
    def test_cpu_is_the_tick_delta_over_the_interval(self):
        before = {1: {'name': 'idle', 'state': 'S', 'ticks': 100, 'rss_pages': 10},
                  2: {'name': 'busy', 'state': 'R', 'ticks': 100, 'rss_pages': 1}}
        after = {1: {'name': 'idle', 'state': 'S', 'ticks': 100, 'rss_pages': 10},
                 2: {'name': 'busy', 'state': 'R', 'ticks': 150, 'rss_pages': 1},
                 3: {'name': 'new', 'state': 'S', 'ticks': 999, 'rss_pages': 500}}
        rows = probes.top_processes(before, after, 0.5, limit=3, ticks_per_s=100, page_size=4096)
        self.assertEqual([r['pid'] for r in rows], [2, 3, 1])
        self.assertEqual(rows[0]['cpu_pct'], 100.0)  # 50 ticks in 0.5 s at 100 Hz: one core
        self.assertEqual(rows[1]['cpu_pct'], 0.0)  # no earlier sample: unknown, not 999 ticks
        by_mem = probes.top_processes(before, after, 0.5, limit=1, by='mem', ticks_per_s=100, page_size=4096)
        self.assertEqual((by_mem[0]['pid'], by_mem[0]['rss']), (3, 500 * 4096))

    def test_a_reused_pid_does_not_count_the_old_process_ticks(self):
        before = {7: {'name': 'old', 'state': 'S', 'ticks': 10, 'rss_pages': 0}}
        after = {7: {'name': 'other', 'state': 'S', 'ticks': 500, 'rss_pages': 0}}
        self.assertEqual(probes.top_processes(before, after, 1, ticks_per_s=100)[0]['cpu_pct'], 0.0)


class FakeProcTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        root = self.dir.name
        for name, text in (('loadavg', '4.00 2.00 1.00 2/300 999\n'), ('meminfo', MEMINFO), ('uptime', '90061.5 1.0\n')):
            with open(os.path.join(root, name), 'w') as fh:
                fh.write(text)
        for pid, name in ((1, 'init'), (77, 'worker')):
            os.mkdir(os.path.join(root, str(pid)))
            with open(os.path.join(root, str(pid), 'stat'), 'w') as fh:
                fh.write(stat_line(pid, name, utime=pid))
        os.mkdir(os.path.join(root, '99'))  # a process that exited between listdir and open

    def tearDown(self):
        self.dir.cleanup()

    def test_snapshot_reads_the_tree(self):
        snap = probes.snapshot(self.dir.name, disks=[self.dir.name, '/does/not/exist'], cpu_count=4)
        self.assertEqual(snap['load']['per_cpu'], 1.0)
        self.assertEqual(snap['memory']['used_pct'], 75.0)
        self.assertEqual(snap['uptime_s'], 90061.5)
        self.assertIn('used_pct', snap['disks'][0])
        self.assertIn('error', snap['disks'][1])

    def test_read_processes_skips_what_vanished(self):
        self.assertEqual(sorted(probes.read_processes(self.dir.name)), [1, 77])


if __name__ == '__main__':
    unittest.main()

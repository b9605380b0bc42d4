"""Threshold rules and their state: warn once when a value crosses its threshold, remind while it stays
there (every `remind_s`), and say so once when it recovers. One WARNING per crossing keeps the log stream
useful; a WARNING every status tick would bury everything else."""

from .probes import human_bytes


class Thresholds:
    def __init__(self, load_per_cpu=2.0, memory_pct=90.0, disk_pct=90.0):
        # Load is per CPU so one default fits a laptop and a 64-core server alike.
        self.load_per_cpu = load_per_cpu
        self.memory_pct = memory_pct
        self.disk_pct = disk_pct

    def describe(self):
        return 'load/cpu >= %g, memory >= %g%%, disk >= %g%%' % (self.load_per_cpu, self.memory_pct, self.disk_pct)


def breaches(snap, limits):
    """{key: message} for every value at or over its threshold in a probes.snapshot()."""
    found = {}
    load = snap['load']
    if load['per_cpu'] >= limits.load_per_cpu:
        found['load'] = 'load average %.2f on %d CPU(s) (%.2f per CPU) is at or over %g per CPU' % (
            load['load1'], snap['cpus'], load['per_cpu'], limits.load_per_cpu)
    mem = snap['memory']
    if mem['used_pct'] >= limits.memory_pct:
        found['memory'] = 'memory %.1f%% used (%s of %s) is at or over %g%%' % (
            mem['used_pct'], human_bytes(mem['used']), human_bytes(mem['total']), limits.memory_pct)
    for disk in snap['disks']:
        if 'error' not in disk and disk['used_pct'] >= limits.disk_pct:
            found['disk:' + disk['path']] = 'disk %s %.1f%% used (%s free) is at or over %g%%' % (
                disk['path'], disk['used_pct'], human_bytes(disk['available']), limits.disk_pct)
    return found


class AlertTracker:
    """Turns successive breach sets into log lines: (level, content) pairs to report."""

    def __init__(self, remind_s=900.0):
        self.remind_s = remind_s
        self._active = {}  # key -> time of the last WARNING

    @property
    def active(self):
        return sorted(self._active)

    def update(self, found, now):
        lines = []
        for key, message in sorted(found.items()):
            last = self._active.get(key)
            if last is None:
                lines.append(('WARNING', 'ALERT ' + message))
                self._active[key] = now
            elif self.remind_s and now - last >= self.remind_s:
                lines.append(('WARNING', 'STILL ' + message))
                self._active[key] = now
        for key in sorted(set(self._active) - set(found)):
            del self._active[key]
            lines.append(('SUCCESS', 'RECOVERED %s is back under its threshold' % key))
        return lines


def status_line(snap):
    """One line for the periodic INFO log."""
    load, mem = snap['load'], snap['memory']
    disks = ', '.join('%s %s' % (d['path'], ('%.1f%%' % d['used_pct']) if 'error' not in d else 'unreadable')
                      for d in snap['disks'])
    return 'load %.2f %.2f %.2f (%d CPU) · memory %.1f%% of %s · disk %s' % (
        load['load1'], load['load5'], load['load15'], snap['cpus'], mem['used_pct'], human_bytes(mem['total']), disks)


def status_report(snap, limits, active):
    """The multi-line answer to get_status."""
    load, mem = snap['load'], snap['memory']
    lines = ['Host %s: %d CPU(s), up %s' % (snap['host'], snap['cpus'], _duration(snap.get('uptime_s'))),
             'Load average: %.2f / %.2f / %.2f (1/5/15 min), %.2f per CPU; %d running of %d processes' % (
                 load['load1'], load['load5'], load['load15'], load['per_cpu'], load['running'], load['processes']),
             'Memory: %s used of %s (%.1f%%), %s available; swap %s of %s' % (
                 human_bytes(mem['used']), human_bytes(mem['total']), mem['used_pct'], human_bytes(mem['available']),
                 human_bytes(mem['swap_used']), human_bytes(mem['swap_total']))]
    for d in snap['disks']:
        if 'error' in d:
            lines.append('Disk %s: unreadable (%s)' % (d['path'], d['error']))
        else:
            lines.append('Disk %s: %s used of %s (%.1f%%), %s free' % (
                d['path'], human_bytes(d['used']), human_bytes(d['total']), d['used_pct'], human_bytes(d['available'])))
    lines.append('Thresholds: %s' % limits.describe())
    lines.append('Alerts: %s' % (', '.join(active) if active else 'none'))
    return '\n'.join(lines)


def _duration(seconds):
    if seconds is None:
        return 'unknown'
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return ('%dd %dh %dm' % (days, hours, minutes)) if days else ('%dh %dm' % (hours, minutes))

"""Reads the host's load, memory, disk and processes from /proc and os.statvfs (Linux, standard library).

Every parser takes text so tests feed it fixtures; the readers take a proc root so tests can point them at
a fake /proc tree.
"""

import os
import socket
import time


def parse_loadavg(text):
    """/proc/loadavg: "0.52 0.58 0.59 2/1234 5678" -> {load1, load5, load15, running, processes}."""
    fields = text.split()
    if len(fields) < 4 or '/' not in fields[3]:
        raise ValueError('unexpected /proc/loadavg: %r' % text[:80])
    running, total = fields[3].split('/', 1)
    return {'load1': float(fields[0]), 'load5': float(fields[1]), 'load15': float(fields[2]),
            'running': int(running), 'processes': int(total)}


def parse_meminfo(text):
    """/proc/meminfo -> bytes: total, available, used, used_pct, swap_total, swap_used.

    "Used" is total - MemAvailable (what the kernel says can be reclaimed), as `free` reports it; kernels
    older than 3.14 lack MemAvailable, so it falls back to MemFree + Buffers + Cached.
    """
    kb = {}
    for line in text.splitlines():
        key, _, rest = line.partition(':')
        parts = rest.split()
        if parts and parts[0].isdigit():
            kb[key.strip()] = int(parts[0])
    if 'MemTotal' not in kb:
        raise ValueError('MemTotal missing from /proc/meminfo')
    total = kb['MemTotal'] * 1024
    if 'MemAvailable' in kb:
        available = kb['MemAvailable'] * 1024
    else:
        available = (kb.get('MemFree', 0) + kb.get('Buffers', 0) + kb.get('Cached', 0)) * 1024
    available = min(available, total)
    used = total - available
    swap_total = kb.get('SwapTotal', 0) * 1024
    swap_used = swap_total - min(kb.get('SwapFree', 0) * 1024, swap_total)
    return {'total': total, 'available': available, 'used': used, 'used_pct': percent(used, total),
            'swap_total': swap_total, 'swap_used': swap_used, 'swap_pct': percent(swap_used, swap_total)}


def disk_usage(path, statvfs=os.statvfs):
    """Bytes for the filesystem holding `path`. used_pct is as `df` computes it: used / (used + available to
    unprivileged users), so the root-reserved blocks count as unavailable."""
    st = statvfs(path)
    total = st.f_blocks * st.f_frsize
    free = st.f_bfree * st.f_frsize
    avail = st.f_bavail * st.f_frsize
    used = total - free
    return {'path': path, 'total': total, 'used': used, 'available': avail, 'used_pct': percent(used, used + avail)}


def parse_uptime(text):
    """/proc/uptime: "12345.67 54321.00" -> seconds since boot."""
    return float(text.split()[0])


def parse_pid_stat(text):
    """/proc/<pid>/stat -> {pid, name, state, ticks (utime+stime), rss_pages}.

    The command name sits in parentheses and may itself contain spaces or ')', so split at the last ')'.
    """
    open_paren, close_paren = text.index('('), text.rindex(')')
    rest = text[close_paren + 2:].split()
    # After the name: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
    # ... rss is field 24; rest[0] is field 3.
    return {'pid': int(text[:open_paren]), 'name': text[open_paren + 1:close_paren], 'state': rest[0],
            'ticks': int(rest[11]) + int(rest[12]), 'rss_pages': int(rest[21])}


def percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


def _read(path):
    with open(path, 'r', encoding='utf-8', errors='replace') as fh:
        return fh.read()


def snapshot(proc='/proc', disks=('/',), statvfs=os.statvfs, cpu_count=None):
    """Load, memory, disks and uptime of this host, as plain data for logs, results and alerts."""
    cpus = cpu_count or os.cpu_count() or 1
    load = parse_loadavg(_read(os.path.join(proc, 'loadavg')))
    load['per_cpu'] = round(load['load1'] / cpus, 2)
    disk_list = []
    for path in disks:
        try:
            disk_list.append(disk_usage(path, statvfs))
        except OSError as err:
            disk_list.append({'path': path, 'error': err.strerror or str(err)})
    try:
        uptime = parse_uptime(_read(os.path.join(proc, 'uptime')))
    except (OSError, ValueError, IndexError):
        uptime = None
    return {'host': socket.gethostname(), 'cpus': cpus, 'load': load,
            'memory': parse_meminfo(_read(os.path.join(proc, 'meminfo'))),
            'disks': disk_list, 'uptime_s': uptime, 'at': time.time()}


def read_processes(proc='/proc'):
    """pid -> parsed stat for every process readable now (processes that exit meanwhile are skipped)."""
    found = {}
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        try:
            found[int(entry)] = parse_pid_stat(_read(os.path.join(proc, entry, 'stat')))
        except (OSError, ValueError, IndexError):
            continue
    return found


def top_processes(before, after, interval_s, limit=5, by='cpu', ticks_per_s=None, page_size=None):
    """The busiest processes between two read_processes() samples taken `interval_s` apart.

    CPU% is of one CPU (like top): 100% means one core fully busy.
    """
    hz = ticks_per_s or _sysconf('SC_CLK_TCK', 100)
    page = page_size or _sysconf('SC_PAGE_SIZE', 4096)
    rows = []
    for pid, now in after.items():
        prev = before.get(pid)
        delta = now['ticks'] - prev['ticks'] if prev and prev['name'] == now['name'] else 0
        cpu = 100.0 * max(0, delta) / (hz * interval_s) if interval_s > 0 else 0.0
        rows.append({'pid': pid, 'name': now['name'], 'state': now['state'], 'cpu_pct': round(cpu, 1),
                     'rss': now['rss_pages'] * page})
    key = (lambda r: (r['rss'], r['cpu_pct'])) if by == 'mem' else (lambda r: (r['cpu_pct'], r['rss']))
    rows.sort(key=key, reverse=True)
    return rows[:max(1, limit)]


def _sysconf(name, default):
    try:
        value = os.sysconf(name)
        return value if value > 0 else default
    except (ValueError, OSError, AttributeError):
        return default


def human_bytes(n):
    """1536 -> '1.5 KiB'."""
    value = float(n)
    for unit in ('B', 'KiB', 'MiB', 'GiB', 'TiB'):
        if abs(value) < 1024 or unit == 'TiB':
            return ('%d %s' % (value, unit)) if unit == 'B' else ('%.1f %s' % (value, unit))
        value /= 1024
    return '%d B' % n

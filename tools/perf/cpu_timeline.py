#!/usr/bin/env python3
"""Runs a command, samples its CPU use every 0.1 s, and prints a timeline: CPU percent per
window, with the command's log lines (tracing's timestamps) placed where they happened.
Read beside hedui's debug laps, it shows where a core idles.

Linux only: CPU ticks come from /proc/PID/stat (utime + stime, 100 a second per core).
Usage:
    RUST_LOG=hedui_engine=debug,hedui_ingest=debug,hedui_match=debug \\
        python3 tools/perf/cpu_timeline.py [--window S] -- hedui check --config C --out NEW
The command's stderr (the log) is kept in memory; its stdout passes through.
"""
import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import time

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# tracing's default format: an RFC 3339 UTC timestamp, the level, then the message.
LOG_LINE = re.compile(r"(\d{4}-\d\d-\d\dT[\d:.]+Z)\s+\w+\s+(.*)")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def ticks(pid):
    """utime + stime of `pid`, or None once it has exited."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces; fields after its closing parenthesis are fixed.
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=0.5, help="seconds per line")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    with tempfile.TemporaryFile(mode="w+") as log:
        started = time.time()
        child = subprocess.Popen(command, stderr=log)
        samples = []
        while child.poll() is None:
            t = ticks(child.pid)
            if t is not None:
                samples.append((time.time() - started, t))
            time.sleep(0.1)
        log.seek(0)
        events = []
        for line in log:
            m = LOG_LINE.match(ANSI.sub("", line))
            if m:
                at = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
                events.append((at.timestamp() - started, m.group(2)[:160]))

    rows = []
    start = samples[0] if samples else None
    for sample in samples[1:]:
        if sample[0] - start[0] >= args.window:
            cpu = (sample[1] - start[1]) / TICKS_PER_SECOND / (sample[0] - start[0]) * 100
            rows.append((start[0], sample[0], cpu))
            start = sample
    events.sort()
    at = 0
    for begin, end, cpu in rows:
        while at < len(events) and events[at][0] < end:
            print(f"{'':13}{events[at][0]:8.2f}  {events[at][1]}")
            at += 1
        print(f"{begin:6.1f}-{end:6.1f} {cpu:4.0f} % {'#' * round(cpu / 10)}")
    for t, text in events[at:]:
        print(f"{'':13}{t:8.2f}  {text}")
    busy = [cpu * (end - begin) for begin, end, cpu in rows]
    span = sum(end - begin for begin, end, _ in rows)
    if span:
        print(f"mean CPU {sum(busy) / span:.0f} % over {span:.1f} s; exit {child.returncode}")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()

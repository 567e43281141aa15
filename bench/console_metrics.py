#!/usr/bin/env python3
"""Measures the console as a user feels it, on a pseudo-terminal (stdlib only):

- launch to first frame (spawn → the status bar's SANDBOX badge is on screen);
- CPU used while idle for 10 s (utime+stime of all threads, from /proc);
- resident memory at start, and with a 100k-entry history once it is loaded;
- key-to-screen latency (a typed character → its cell redrawn), median and p95.

Usage: bench/console_metrics.py path/to/gemini-doctor   (see bench/console_metrics.sh)
"""
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time

COLS, ROWS = 120, 40
CLK = os.sysconf("SC_CLK_TCK")


def spawn(binary, home):
    env = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GEMINI_BASE_URL")}
    env.update({"GEMINI_DOCTOR_HOME": home, "TERM": "xterm-256color", "LANG": "C.UTF-8"})
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        os.execve(binary, [binary], env)
    return pid, fd, start


def read_until(fd, needle, timeout=30.0):
    """Reads output until `needle` (bytes) shows up; returns (time it arrived, bytes)."""
    buf = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buf += chunk
            if needle in buf:
                return time.perf_counter(), buf
    raise TimeoutError(f"{needle!r} not seen; got {buf[-400:]!r}")


def drain(fd, quiet=0.3):
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return
        try:
            os.read(fd, 65536)
        except OSError:
            return


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def quit_console(pid, fd):
    os.write(fd, b"\x03")
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    os.close(fd)


def write_history(path, n):
    """n summary-first lines in the format the console writes (small bodies)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for i in range(n):
            failed = i % 7 == 0
            summary = {
                "id": f"{1700000000000 + i:013}-00001-{i % 10000:04}",
                "started_at": "2026-12-04T10:00:00.000Z",
                "backend": "sandbox",
                "operation": "streamGenerateContent",
                "api_version": "v1beta",
                "model": "gemini-2.5-flash",
                "status": 429 if failed else 200,
                "outcome": "429 RESOURCE_EXHAUSTED" if failed else "OK",
                "class": "api_error" if failed else "ok",
                "ttfb_ms": 95.0,
                "total_ms": 400.0,
                "tokens_in": 12,
                "tokens_out": None if failed else 48,
                "finish_reason": None if failed else "STOP",
            }
            exchange = {
                "id": summary["id"],
                "started_at": summary["started_at"],
                "backend": "sandbox",
                "operation": "streamGenerateContent",
                "api_version": "v1beta",
                "model": "gemini-2.5-flash",
                "request": {"method": "POST", "url": "http://127.0.0.1:1/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
                            "body": {"contents": [{"role": "user", "parts": [{"text": f"prompt {i}"}]}]}},
                "timings": {"first_byte_ms": 95.0, "total_ms": 400.0},
                "events": [{"at_ms": 100.0, "data": "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"hi\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}]}"}],
                "outcome": {"type": "success"},
            }
            f.write(json.dumps({"summary": summary, "exchange": exchange}, separators=(",", ":")) + "\n")


def main():
    binary = os.path.abspath(sys.argv[1])
    results = {}
    home = tempfile.mkdtemp(prefix="gd-metrics-")
    try:
        # Launch to first frame, over several launches.
        firsts = []
        for _ in range(5):
            pid, fd, start = spawn(binary, home)
            t, _ = read_until(fd, b"SANDBOX")
            firsts.append((t - start) * 1000)
            if len(firsts) == 5:
                break
            quit_console(pid, fd)
        results["first_frame_ms_median"] = statistics.median(firsts)
        results["first_frame_ms_all"] = [round(x, 1) for x in firsts]
        drain(fd, 1.0)
        results["rss_start_mib"] = rss_mib(pid)

        # Idle CPU over 10 s.
        before = cpu_ticks(pid)
        time.sleep(10)
        used = (cpu_ticks(pid) - before) / CLK
        results["idle_cpu_seconds_in_10s"] = used
        results["idle_cpu_percent"] = used / 10 * 100

        # Key-to-screen latency: type a character, wait until its cell is drawn.
        lat = []
        for i in range(1, 41):
            t0 = time.perf_counter()
            os.write(fd, b"x")
            t1, _ = read_until(fd, b"x", timeout=5)
            lat.append((t1 - t0) * 1000)
            drain(fd, 0.02)
        lat.sort()
        results["key_to_screen_ms_median"] = statistics.median(lat)
        results["key_to_screen_ms_p95"] = lat[int(len(lat) * 0.95) - 1]
        quit_console(pid, fd)

        # 100k history entries.
        shutil.rmtree(home)
        os.makedirs(home)
        write_history(os.path.join(home, "data", "history.jsonl"), 100_000)
        pid, fd, start = spawn(binary, home)
        t_frame, _ = read_until(fd, b"SANDBOX")
        t_loaded, _ = read_until(fd, b"100000 ", timeout=60)
        results["first_frame_ms_with_100k_history"] = (t_frame - start) * 1000
        results["history_100k_loaded_ms"] = (t_loaded - start) * 1000
        drain(fd, 1.0)
        results["rss_with_100k_history_mib"] = rss_mib(pid)
        # Scrolling the 100k log: focus it and page through.
        lat = []
        os.write(fd, b"\t\t")
        drain(fd, 0.3)
        for _ in range(20):
            t0 = time.perf_counter()
            os.write(fd, b"\x1b[5~")  # PageUp
            r, _, _ = select.select([fd], [], [], 5)
            if r:
                os.read(fd, 65536)
                lat.append((time.perf_counter() - t0) * 1000)
            drain(fd, 0.02)
        if lat:
            results["log_page_up_ms_median_100k"] = statistics.median(lat)
        before = cpu_ticks(pid)
        time.sleep(5)
        results["idle_cpu_percent_with_100k"] = (cpu_ticks(pid) - before) / CLK / 5 * 100
        quit_console(pid, fd)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    for k, v in results.items():
        print(f"{k}: {round(v, 2) if isinstance(v, float) else v}")


if __name__ == "__main__":
    main()

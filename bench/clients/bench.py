"""Part of bench/clients.sh: the Python client's reads next to Redis GETs over a raw socket (RESP)."""

import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))

from tend_state import State  # noqa: E402

n = int(os.environ["BENCH_ITERATIONS"])


def time_it(n, body):
    """Median over 5 rounds (after a warm-up round) of the mean time of one call, in µs: wall time, and this
    process's CPU time (which a loaded machine inflates less; for Redis it leaves out the server's part)."""
    wall, cpu = [], []
    for _ in range(6):
        c = time.process_time_ns()
        t = time.perf_counter_ns()
        body(n)
        wall.append((time.perf_counter_ns() - t) / n / 1000)
        cpu.append((time.process_time_ns() - c) / n / 1000)
    return sorted(wall[1:])[2], sorted(cpu[1:])[2]


def row(what, micros):
    print("%-58s %9.3f µs %9.3f µs" % ((what,) + micros))


state = State()
state.get("kib")


def versions(n):
    version = state.version
    for _ in range(n):
        version("kib")


def unchanged(n):
    get = state.get
    for _ in range(n):
        get("kib")


def reads(n):
    # A changed snapshot with the same keys (the common case): the cached version is made stale before each
    # read, so every get() runs the whole read protocol and the decode (skipping the checks of known keys).
    get, cache = state.get, state._cache
    for _ in range(n):
        for snapshot in cache.values():
            snapshot.version = -1
        get("kib")


row("python (mmap): version('kib'), unchanged", time_it(n, versions))
row("python (mmap): get('kib'), unchanged (the cached dict)", time_it(n, unchanged))
row("python (mmap): get('kib'), read and decode the 1 KiB", time_it(n // 10, reads))

redis = socket.create_connection(("127.0.0.1", int(os.environ["BENCH_REDIS_PORT"])))
redis.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
stream = redis.makefile("rb")


def redis_get(key):
    redis.sendall(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key))
    header = stream.readline()
    length = int(header[1:])
    return stream.read(length + 2)[:-2]


def gets(key):
    def body(n):
        for _ in range(n):
            redis_get(key)
    return body


assert redis_get(b"kib") == b"x" * 1024
row("python (socket, RESP): GET tiny (2 bytes)", time_it(n // 20, gets(b"tiny")))
row("python (socket, RESP): GET kib (1 KiB)", time_it(n // 20, gets(b"kib")))

#!/usr/bin/env python3
"""Read a tend state file (layout 2.x) without tend: Python 3 standard library only.

Written from docs/state-file.md alone, as proof that the document is enough to write a reader.

Usage:
    state_reader.py FILE                   list slot names, one per line
    state_reader.py FILE --json            all slots, as a JSON array of slot objects
    state_reader.py FILE NAME              one slot as a JSON object (docs/state-file.md, section 12)
    state_reader.py FILE NAME KEY          the value of KEY, raw bytes, nothing added
    state_reader.py FILE NAME KEY --json   the value as JSON: a string, or {"base64": "..."}

NAME is a slot name, or the name of a pool that has exactly one live worker.

Exit status: 0 success, 1 error (not a state file, corrupt, ambiguous name), 2 usage, 3 no such
slot or key.

Memory ordering: plain Python has no atomic loads or fences. This reader follows the documented read
protocol (version, sequence check, copy, sequence re-check) and relies on x86-64 keeping loads in
order (TSO). On weakly ordered CPUs (aarch64) a strict reader needs acquire loads and fences, for
example through ctypes and a small C helper.

Readers write nothing and take no lock: the slot lock word (lockOwner) only serialises publishers.
"""

import base64
import json
import mmap
import os
import struct
import sys
import time

EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND = 1, 2, 3

MAGIC = b"TENDSTAT"
LAYOUT_MAJOR = 2
HEADER_LENGTH = 4096
FIRST_BLOCK = 4096
BLOCK_LENGTH = 16384
INITIAL_ALLOC_END = FIRST_BLOCK + BLOCK_LENGTH
BLOCK_HEADER = 256
DESCRIPTOR_LENGTH = 256
SLOTS_PER_BLOCK = 63
MAX_KEY_LENGTH = 1024
OWNER_STATES = ["none", "starting", "running", "stopping", "backoff", "exited", "stopped",
                "failed", "removed"]
RUNNING, REMOVED = 2, 8
# Retries with an unchanged published version before the slot is called corrupt: a correct writer
# never leaves a published version whose buffer does not hold sequence 2v.
STUCK_LIMIT = 100000


class StateError(Exception):
    """Any failure worth exit status 1."""


class NotFound(StateError):
    """No such slot or key: exit status 3."""


class StateFile:
    def __init__(self, path):
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise NotFound("no state file at %s" % path)
        except OSError as e:
            raise StateError("cannot open state file %s: %s" % (path, e))
        self.map = None
        self._remap()
        self._check_header()
        self.blocks = [FIRST_BLOCK]

    # ---- mapping --------------------------------------------------------------------------------
    def _remap(self):
        size = os.fstat(self.fd).st_size
        if size == 0:
            raise StateError("%s is not a tend state file: it is only 0 bytes long" % self.path)
        self.map = mmap.mmap(self.fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)

    def _cover(self, end):
        """Make sure [0, end) is mapped; the file only grows, so remapping its current length does it."""
        if end > len(self.map):
            self._remap()
            if end > len(self.map):
                raise StateError("state file %s is corrupt: it is %d bytes long but refers to offset %d"
                                 % (self.path, len(self.map), end))

    def u64(self, offset):
        return struct.unpack_from("<Q", self.map, offset)[0]

    def u32(self, offset):
        return struct.unpack_from("<I", self.map, offset)[0]

    # ---- header ---------------------------------------------------------------------------------
    def _check_header(self):
        if len(self.map) < INITIAL_ALLOC_END:
            raise StateError("%s is not a tend state file: it is only %d bytes long"
                             % (self.path, len(self.map)))
        ready = self.u64(16)
        magic = bytes(self.map[0:8])
        if ready == 0 and magic in (MAGIC, b"\0" * 8):
            raise StateError("state file %s is not ready: its creator has not finished writing it"
                             % self.path)
        if magic != MAGIC:
            raise StateError("%s is not a tend state file (bad magic number)" % self.path)
        major, minor = self.u32(8), self.u32(12)
        if major != LAYOUT_MAJOR:
            raise StateError("state file %s has layout version %d.%d; this reader understands %d.x only"
                             % (self.path, major, minor, LAYOUT_MAJOR))
        if ready not in (1, 2):
            raise StateError("state file %s has an unknown ready state %d" % (self.path, ready))
        self.max_snapshot = self.u64(24)
        self.supervisor_pid = self.u64(32)
        self.supervisor_start_ticks = self.u64(40)

    def corrupt(self, detail):
        return StateError("state file %s is corrupt: %s" % (self.path, detail))

    def supervisor_alive(self):
        if self.u64(16) != 1:
            return False
        try:
            with open("/proc/%d/stat" % self.supervisor_pid, "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            return False
        # Field 2 (the command) is in parentheses and may hold spaces: count from the last ')'.
        fields = stat[stat.rfind(")") + 1:].split()
        return len(fields) > 19 and int(fields[19]) == self.supervisor_start_ticks

    # ---- slot table -----------------------------------------------------------------------------
    def slot_count(self):
        return self.u64(64)

    def descriptor(self, slot):
        block = slot // SLOTS_PER_BLOCK
        while len(self.blocks) <= block:
            nxt = self.u64(self.blocks[-1])
            if nxt < INITIAL_ALLOC_END or nxt % 64:
                raise self.corrupt("table block %d links to offset %d" % (len(self.blocks) - 1, nxt))
            self._cover(nxt + BLOCK_LENGTH)
            self.blocks.append(nxt)
        return self.blocks[block] + BLOCK_HEADER + (slot % SLOTS_PER_BLOCK) * DESCRIPTOR_LENGTH

    def _text(self, length_at, text_at, what, slot):
        length = self.u32(length_at)
        if length > 64:
            raise self.corrupt("slot %d has a %s of %d bytes" % (slot, what, length))
        try:
            return bytes(self.map[text_at:text_at + length]).decode("utf-8")
        except UnicodeDecodeError:
            raise self.corrupt("slot %d has a %s that is not UTF-8" % (slot, what))

    def name(self, slot):
        d = self.descriptor(slot)
        return self._text(d + 96, d + 128, "name", slot)

    def pool(self, slot):
        d = self.descriptor(slot)
        return self._text(d + 100, d + 192, "pool", slot)

    def owner(self, slot):
        word = self.u64(self.descriptor(slot) + 64)  # state and pid: one 8-byte word
        code, pid = word & 0xFFFFFFFF, word >> 32
        state = OWNER_STATES[code] if code < len(OWNER_STATES) else "unknown"
        return state, pid, code

    def names(self):
        return [self.name(s) for s in range(self.slot_count())]

    def resolve(self, lookup):
        count = self.slot_count()
        for s in range(count):
            if self.name(s) == lookup:
                return s
        members = [s for s in range(count)
                   if lookup and self.pool(s) == lookup and self.owner(s)[2] != REMOVED]
        if len(members) == 1:
            return members[0]
        if not members:
            raise NotFound("no worker named %s in state file %s" % (lookup, self.path))
        raise StateError("pool %s has %d workers; name one of %s"
                         % (lookup, len(members), ", ".join(self.name(s) for s in members)))

    # ---- the read protocol ----------------------------------------------------------------------
    def read(self, slot):
        """Returns (version, published_at_ms, [(key, value), ...]) of the slot's published snapshot."""
        d = self.descriptor(slot)
        version = self.u64(d)
        stuck = 0
        while version:
            buf = self.u64(d + 8 + 8 * (version & 1))
            if buf < INITIAL_ALLOC_END or buf % 64:
                raise self.corrupt("slot %d version %d points at offset %d" % (slot, version, buf))
            self._cover(buf + 64)
            seq = self.u64(buf)
            if seq == 2 * version:
                capacity, length, published_at = self.u64(buf + 8), self.u64(buf + 24), self.u64(buf + 32)
                if length > capacity or length > self.max_snapshot:
                    if self.u64(buf) == seq:
                        raise self.corrupt("slot %d version %d has a length of %d bytes in a buffer of %d"
                                           % (slot, version, length, capacity))
                else:
                    self._cover(buf + 64 + length)
                    payload = bytes(self.map[buf + 64:buf + 64 + length])  # private copy, not yet trusted
                    if self.u64(buf) == seq:  # nothing overwrote it during the copy
                        return version, published_at, self.decode(payload, slot, version)
            latest = self.u64(d)
            if latest != version:
                version, stuck = latest, 0
            else:
                stuck += 1
                if stuck > STUCK_LIMIT:
                    raise self.corrupt("slot %d version %d is published but its buffer holds sequence %d"
                                       % (slot, version, seq))
        return 0, 0, []

    def decode(self, payload, slot, version):
        def fail(detail):
            return self.corrupt("slot %d version %d has a malformed payload (%s)" % (slot, version, detail))

        def length_at(at, what):
            if at + 4 > len(payload):
                raise fail("cut off before a %s length" % what)
            n = struct.unpack_from("<I", payload, at)[0]
            if n > len(payload) - at - 4:
                raise fail("a %s of %d bytes runs past the end" % (what, n))
            return n

        if len(payload) < 4:
            raise fail("no entry count")
        count = struct.unpack_from("<I", payload, 0)[0]
        entries, at, previous = [], 4, None
        for _ in range(count):
            key_length = length_at(at, "key")
            key_bytes = payload[at + 4:at + 4 + key_length]
            at += 4 + key_length
            if key_length == 0 or key_length > MAX_KEY_LENGTH:
                raise fail("a key of %d bytes" % key_length)
            try:
                key = key_bytes.decode("utf-8")
            except UnicodeDecodeError:
                raise fail("a key that is not UTF-8")
            if previous is not None and key_bytes <= previous:
                raise fail("keys out of order or repeated")
            previous = key_bytes
            value_length = length_at(at, "value")
            entries.append((key, payload[at + 4:at + 4 + value_length]))
            at += 4 + value_length
        if at != len(payload):
            raise fail("%d bytes after the last entry" % (len(payload) - at))
        return entries

    # ---- JSON shape -----------------------------------------------------------------------------
    def slot_json(self, slot):
        version, published_at, entries = self.read(slot)
        state, pid, code = self.owner(slot)
        age = None if version == 0 else max(0, int(time.time() * 1000) - published_at)
        return {
            "name": self.name(slot),
            "version": version,
            "age_ms": age,
            "owner": {"state": state, "pid": pid, "running": code == RUNNING and self.supervisor_alive()},
            "data": {key: json_value(value) for key, value in entries},
        }


def json_value(value):
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(value).decode("ascii")}


def main(argv):
    args = [a for a in argv if a != "--json"]
    as_json = len(args) != len(argv)
    if not 1 <= len(args) <= 3 or any(a.startswith("-") for a in args):
        sys.stderr.write(__doc__)
        return EXIT_USAGE
    try:
        state = StateFile(args[0])
        if len(args) == 1:
            if as_json:
                print(json.dumps([state.slot_json(s) for s in range(state.slot_count())]))
            else:
                for name in state.names():
                    print(name)
            return 0
        slot = state.resolve(args[1])
        if len(args) == 2:
            print(json.dumps(state.slot_json(slot)))
            return 0
        entries = dict(state.read(slot)[2])
        if args[2] not in entries:
            raise NotFound("worker %s has no key %s" % (state.name(slot), args[2]))
        if as_json:
            print(json.dumps(json_value(entries[args[2]])))
        else:
            sys.stdout.buffer.write(entries[args[2]])
            sys.stdout.buffer.flush()
        return 0
    except NotFound as e:
        sys.stderr.write("state_reader: %s\n" % e)
        return EXIT_NOT_FOUND
    except StateError as e:
        sys.stderr.write("state_reader: %s\n" % e)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

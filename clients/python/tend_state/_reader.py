"""The reader of a tend state file (docs/state-file.md, layout 2.x): mmap and struct, nothing else.

Memory ordering: Python has no atomic loads or fences. The reader follows the documented read protocol
(version, sequence check, copy, sequence re-check) and relies on x86-64 keeping loads in order (TSO).
Each 8-byte word is read by one struct unpack of an aligned word of the mapping. On weakly ordered CPUs
(aarch64) a strict reader needs acquire loads and fences, which plain Python cannot express.
"""

import mmap
import os
import struct
import time

MAGIC = b"TENDSTAT"
LAYOUT_MAJOR = 2
FIRST_BLOCK = 4096
BLOCK_LENGTH = 16384
INITIAL_ALLOC_END = FIRST_BLOCK + BLOCK_LENGTH
BLOCK_HEADER = 256
DESCRIPTOR_LENGTH = 256
SLOTS_PER_BLOCK = 63
MAX_KEY_LENGTH = 1024
OWNER_STATES = ("none", "starting", "running", "stopping", "backoff", "exited", "stopped", "failed", "removed")
RUNNING, REMOVED = 2, 8
# Retries with an unchanged published version before the slot is called corrupt: a correct writer never
# leaves a published version whose buffer does not hold sequence 2v.
STUCK_LIMIT = 100000

_U64 = struct.Struct("<Q").unpack_from
_U32 = struct.Struct("<I").unpack_from


class StateError(Exception):
    """The state file cannot be read: not a state file, not ready, corrupt, an ambiguous name."""


class NotFound(StateError):
    """No such state file, slot or key (tend get's exit status 3)."""


class Snapshot(dict):
    """One published snapshot: a dict of str keys to bytes values, with its version and publication time.

    A State returns the same Snapshot object for as long as the slot's version is unchanged, so a caller
    can tell "nothing changed" with ``is`` and keep what it derived from it. Do not modify it.
    """

    __slots__ = ("name", "version", "published_at_ms")

    def __init__(self, name, version, published_at_ms, entries):
        super().__init__(entries)
        self.name = name
        self.version = version
        self.published_at_ms = published_at_ms

    def text(self, key, default=None):
        """The value of key decoded as UTF-8, or default when the key is absent."""
        value = self.get(key)
        return default if value is None else value.decode("utf-8")

    def age_ms(self):
        """Milliseconds since it was published, or None for version 0 (never published)."""
        return None if self.version == 0 else max(0, int(time.time() * 1000) - self.published_at_ms)


class SlotInfo:
    """A slot as tend get shows it: its snapshot, the owner's state and pid, and whether the owner runs."""

    __slots__ = ("name", "pool", "snapshot", "owner_state", "owner_pid", "running")

    def __init__(self, name, pool, snapshot, owner_state, owner_pid, running):
        self.name, self.pool, self.snapshot = name, pool, snapshot
        self.owner_state, self.owner_pid, self.running = owner_state, owner_pid, running

    @property
    def version(self):
        return self.snapshot.version

    @property
    def data(self):
        return self.snapshot

    def to_json(self):
        """The JSON shape of docs/state-file.md section 12 (tend get --json), as Python objects."""
        return {
            "name": self.name,
            "version": self.version,
            "age_ms": self.snapshot.age_ms(),
            "owner": {"state": self.owner_state, "pid": self.owner_pid, "running": self.running},
            "data": {key: json_value(value) for key, value in self.snapshot.items()},
        }


def json_value(value):
    """A value as tend get --json shows it: a string if it is UTF-8, else {"base64": ...}."""
    import base64
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(value).decode("ascii")}


class State:
    """A tend instance's state file, mapped read-only. Cheap to keep open; not thread-safe.

    ``State()`` opens the file named by ``TEND_STATE`` (set in every worker and in tend run's command);
    ``State(path)`` opens another. Reads never wait for a publisher and write nothing.
    """

    def __init__(self, path=None):
        if path is None:
            path = os.environ.get("TEND_STATE")
            if not path:
                raise NotFound("TEND_STATE is not set: this process was not started by tend; "
                               "pass the state file's path (<runtime dir>/state)")
        self.path = path
        try:
            self._fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise NotFound("no state file at %s" % path) from None
        except OSError as e:
            raise StateError("cannot open state file %s: %s" % (path, e)) from None
        self._map = None
        self._remap()
        self._check_header()
        self._blocks = [FIRST_BLOCK]
        self._descriptors = {}   # slot name -> descriptor offset (slots never move nor change names)
        self._pools = {}         # pool name -> (slot count when resolved, descriptor offset)
        self._cache = {}         # descriptor offset -> last Snapshot read from it

    def close(self):
        if self._map is not None:
            self._map.close()
            os.close(self._fd)
            self._map = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- mapping ----------------------------------------------------------------------------------------
    def _remap(self):
        size = os.fstat(self._fd).st_size
        if size == 0:
            raise StateError("%s is not a tend state file: it is only 0 bytes long" % self.path)
        self._map = mmap.mmap(self._fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)

    def _cover(self, end):
        """Makes sure [0, end) is mapped: the file only grows, so mapping its current length does it."""
        if end > len(self._map):
            self._remap()
            if end > len(self._map):
                raise self._corrupt("it is %d bytes long but refers to offset %d" % (len(self._map), end))

    def _u64(self, offset):
        return _U64(self._map, offset)[0]

    def _check_header(self):
        m = self._map
        if len(m) < INITIAL_ALLOC_END:
            raise StateError("%s is not a tend state file: it is only %d bytes long" % (self.path, len(m)))
        ready = self._u64(16)
        magic = bytes(m[0:8])
        if ready == 0 and magic in (MAGIC, b"\0" * 8):
            raise StateError("state file %s is not ready: its creator has not finished writing it" % self.path)
        if magic != MAGIC:
            raise StateError("%s is not a tend state file (bad magic number)" % self.path)
        major, minor = _U32(m, 8)[0], _U32(m, 12)[0]
        if major != LAYOUT_MAJOR:
            raise StateError("state file %s has layout version %d.%d; this reader understands %d.x only"
                             % (self.path, major, minor, LAYOUT_MAJOR))
        if ready not in (1, 2):
            raise StateError("state file %s has an unknown ready state %d" % (self.path, ready))
        self.max_snapshot = self._u64(24)
        self.supervisor_pid = self._u64(32)
        self.supervisor_start_ticks = self._u64(40)

    def _corrupt(self, detail):
        return StateError("state file %s is corrupt: %s" % (self.path, detail))

    # ---- liveness ---------------------------------------------------------------------------------------
    def supervisor_alive(self):
        """Whether the tend that created the file still runs (section 8): ready, same pid, same start time."""
        if self._u64(16) != 1:
            return False
        try:
            with open("/proc/%d/stat" % self.supervisor_pid, "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            return False
        # Field 2 (the command) is in parentheses and may hold spaces: count from the last ')'.
        fields = stat[stat.rfind(")") + 1:].split()
        return len(fields) > 19 and int(fields[19]) == self.supervisor_start_ticks

    # ---- slot table -------------------------------------------------------------------------------------
    def slot_count(self):
        count = self._u64(64)
        blocks = -(-count // SLOTS_PER_BLOCK)
        if count and INITIAL_ALLOC_END + (blocks - 1) * BLOCK_LENGTH > max(len(self._map), os.fstat(self._fd).st_size):
            raise self._corrupt("a slot count of %d is impossible" % count)
        return count

    def _descriptor(self, slot):
        block = slot // SLOTS_PER_BLOCK
        while len(self._blocks) <= block:
            nxt = self._u64(self._blocks[-1])
            if nxt < INITIAL_ALLOC_END or nxt % 64:
                raise self._corrupt("table block %d links to offset %d" % (len(self._blocks) - 1, nxt))
            self._cover(nxt + BLOCK_LENGTH)
            self._blocks.append(nxt)
        return self._blocks[block] + BLOCK_HEADER + (slot % SLOTS_PER_BLOCK) * DESCRIPTOR_LENGTH

    def _text(self, d, what):
        """The name (what = "name") or pool name of the slot whose descriptor is at d."""
        length_at, text_at = (d + 96, d + 128) if what == "name" else (d + 100, d + 192)
        length = _U32(self._map, length_at)[0]
        if length > 64:
            raise self._corrupt("the slot at offset %d has a %s of %d bytes" % (d, what, length))
        try:
            return bytes(self._map[text_at:text_at + length]).decode("utf-8")
        except UnicodeDecodeError:
            raise self._corrupt("the slot at offset %d has a %s that is not UTF-8" % (d, what)) from None

    def _name_of(self, slot):
        return self._text(self._descriptor(slot), "name")

    def _pool_of(self, slot):
        return self._text(self._descriptor(slot), "pool")

    def _owner_at(self, d):
        word = self._u64(d + 64)  # state and pid: one 8-byte word, so never one's pid with another's state
        code, pid = word & 0xFFFFFFFF, word >> 32
        return (OWNER_STATES[code] if code < len(OWNER_STATES) else "unknown"), pid, code

    def names(self):
        """Every slot's name, in slot order."""
        return [self._name_of(s) for s in range(self.slot_count())]

    def _resolve(self, lookup):
        """The descriptor offset for a name (section 7): a slot's name, or a pool with one live worker."""
        d = self._descriptors.get(lookup)
        if d is not None:
            return d
        pooled = self._pools.get(lookup)
        # A pool's single worker is remembered until a slot is added or that worker is removed.
        if pooled is not None and pooled[0] == _U64(self._map, 64)[0] and self._owner_at(pooled[1])[2] != REMOVED:
            return pooled[1]
        count = self.slot_count()
        for s in range(count):
            if self._name_of(s) == lookup:
                d = self._descriptors[lookup] = self._descriptor(s)
                return d
        members = [s for s in range(count)
                   if lookup and self._pool_of(s) == lookup and self._owner_at(self._descriptor(s))[2] != REMOVED]
        if len(members) == 1:
            d = self._descriptor(members[0])
            self._pools[lookup] = (count, d)
            return d
        if not members:
            raise NotFound("no worker named %s in state file %s" % (lookup, self.path))
        raise StateError("pool %s has %d workers; name one of %s"
                         % (lookup, len(members), ", ".join(self._name_of(s) for s in members)))

    # ---- the public reads -------------------------------------------------------------------------------
    def version(self, name):
        """The slot's published version (0: never published). One load once the name is known."""
        d = self._descriptors.get(name)
        if d is None:
            d = self._resolve(name)
        return _U64(self._map, d)[0]

    def changed(self, snapshot):
        """Whether a newer version than this snapshot's has been published: one load."""
        return self.version(snapshot.name) != snapshot.version

    def get(self, name):
        """The slot's snapshot: the same Snapshot object while its version is unchanged."""
        d = self._descriptors.get(name)
        if d is None:
            d = self._resolve(name)
        cached = self._cache.get(d)
        if cached is not None and cached.version == _U64(self._map, d)[0]:
            return cached
        snapshot = self._read(d, cached)
        self._cache[d] = snapshot
        return snapshot

    def get_many(self, names):
        """Several slots at once, as a dict name -> Snapshot; each consistent on its own (section 5)."""
        return {name: self.get(name) for name in names}

    def value(self, name, key, default=None):
        """One key's value (bytes), or default when the slot does not have it."""
        return self.get(name).get(key, default)

    def owner(self, name):
        """(state, pid) of the slot's owner: state is one of the names of section 3.3, or "unknown"."""
        state, pid, _ = self._owner_at(self._resolve(name))
        return state, pid

    def owner_running(self, name):
        """Whether the slot's worker is running and the tend that runs it is alive (section 8)."""
        return self._owner_at(self._resolve(name))[2] == RUNNING and self.supervisor_alive()

    def slot(self, name):
        """The slot with its snapshot and owner, as tend get shows it."""
        d = self._resolve(name)
        snapshot = self.get(name)
        state, pid, code = self._owner_at(d)
        running = code == RUNNING and self.supervisor_alive()
        return SlotInfo(self._text(d, "name"), self._text(d, "pool"), snapshot, state, pid, running)

    # ---- the read protocol (section 5) ------------------------------------------------------------------
    def _read(self, d, previous):
        name = previous.name if previous is not None else self._text(d, "name")
        m = self._map
        version = _U64(m, d)[0]
        stuck = 0
        seq = 0
        while version:
            buf = _U64(m, d + 8 + 8 * (version & 1))[0]
            if buf < INITIAL_ALLOC_END or buf % 64:
                raise self._corrupt("slot %s version %d points at offset %d" % (name, version, buf))
            if buf + 64 > len(m):
                self._cover(buf + 64)
                m = self._map
            seq = _U64(m, buf)[0]
            if seq == 2 * version:
                capacity, _, length, published_at = struct.unpack_from("<4Q", m, buf + 8)
                if length > capacity or length > self.max_snapshot:
                    if _U64(m, buf)[0] == seq:
                        raise self._corrupt("slot %s version %d has a length of %d bytes in a buffer of %d"
                                            % (name, version, length, capacity))
                else:
                    if buf + 64 + length > len(m):
                        self._cover(buf + 64 + length)
                        m = self._map
                    payload = m[buf + 64:buf + 64 + length]  # a private copy, not trusted yet
                    if _U64(m, buf)[0] == seq:  # nothing overwrote it during the copy
                        return Snapshot(name, version, published_at, self._decode(payload, name, version, previous))
            latest = _U64(m, d)[0]
            if latest != version:
                version, stuck = latest, 0
            else:
                stuck += 1
                if stuck > STUCK_LIMIT:
                    raise self._corrupt("slot %s version %d is published but its buffer holds sequence %d"
                                        % (name, version, seq))
        return Snapshot(name, 0, 0, ())

    def _decode(self, payload, name, version, previous):
        """Decodes a payload strictly (section 3.5); anything malformed is corruption.

        As section 3.5 allows, the key checks are skipped while the keys are byte-for-byte those of the last
        snapshot read (previous), in order: publishers nearly always publish the same keys.
        """
        known = list(previous) if previous else None
        def fail(detail):
            return self._corrupt("slot %s version %d has a malformed payload (%s)" % (name, version, detail))

        size = len(payload)
        if size < 4:
            raise fail("no entry count")
        count = _U32(payload, 0)[0]
        entries, at, last = [], 4, None
        for _ in range(count):
            if at + 4 > size:
                raise fail("cut off before a key length")
            key_length = _U32(payload, at)[0]
            if key_length > size - at - 4:
                raise fail("a key of %d bytes runs past the end" % key_length)
            key_bytes = payload[at + 4:at + 4 + key_length]
            at += 4 + key_length
            if known is not None and len(entries) < len(known) and known[len(entries)].encode("utf-8") == key_bytes:
                key = known[len(entries)]
            else:
                known = None  # from here on, every key is checked
                if key_length == 0 or key_length > MAX_KEY_LENGTH:
                    raise fail("a key of %d bytes" % key_length)
                try:
                    key = key_bytes.decode("utf-8")
                except UnicodeDecodeError:
                    raise fail("a key that is not UTF-8") from None
                if last is not None and key_bytes <= last:
                    raise fail("keys out of order or repeated")
            last = key_bytes
            if at + 4 > size:
                raise fail("cut off before a value length")
            value_length = _U32(payload, at)[0]
            if value_length > size - at - 4:
                raise fail("a value of %d bytes runs past the end" % value_length)
            entries.append((key, payload[at + 4:at + 4 + value_length]))
            at += 4 + value_length
        if at != size:
            raise fail("%d bytes after the last entry" % (size - at))
        return entries

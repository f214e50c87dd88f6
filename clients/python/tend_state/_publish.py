"""Publishing from inside a worker: one JSON object per line on the pipe in TEND_STATE_FD (fd 3).

tend reads the line and publishes it into the worker's own slot; no process is started and nothing but
one write happens here. See docs/worker-contract.md, "Publishing state".
"""

import base64
import json
import os

MAX_KEY_LENGTH = 1024


class PublishError(Exception):
    """The snapshot cannot be published: a bad key, too large, or no state pipe."""


def encoded_size(data):
    """The size of the snapshot's canonical encoding (docs/state-file.md section 3.5)."""
    return 4 + sum(8 + len(k.encode("utf-8")) + len(v) for k, v in data.items())


def _value(value):
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, (int, float)):
        return json.dumps(value).encode("ascii")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise PublishError("a value must be str, bytes, int, float or bool, not %s" % type(value).__name__)


class Publisher:
    """Publishes snapshots of this worker's state through tend, skipping a snapshot equal to the last one.

    ``Publisher()`` uses the pipe named by TEND_STATE_FD; ``max_snapshot`` (bytes, read from TEND_STATE's file
    by default) is checked here so that a snapshot tend would refuse raises at once instead of becoming a
    warning in tend's output.
    """

    def __init__(self, fd=None, max_snapshot=None):
        if fd is None:
            text = os.environ.get("TEND_STATE_FD")
            if not text:
                raise PublishError("TEND_STATE_FD is not set: publish from inside a worker started by tend")
            fd = int(text)
            if max_snapshot is None and os.environ.get("TEND_STATE"):
                from ._reader import State, StateError
                try:
                    with State() as state:
                        max_snapshot = state.max_snapshot
                except StateError:
                    pass  # tend checks the size too; a file that cannot be read here only loses the early check
        self._fd = fd
        self._max = max_snapshot
        self._last = None

    def publish(self, data):
        """Replaces the worker's snapshot with data (a mapping of str keys to str, bytes, numbers, bools).

        Returns False when the snapshot equals the last one published through this object: nothing is
        written then. tend also keeps the version of a snapshot equal to the slot's current one.
        """
        encoded = {}
        for key, value in data.items():
            if not isinstance(key, str):
                raise PublishError("a key must be a str, not %s" % type(key).__name__)
            size = len(key.encode("utf-8"))
            if size == 0 or size > MAX_KEY_LENGTH:
                raise PublishError("key %r is %d bytes long; a key is 1 to %d bytes of UTF-8"
                                   % (key[:40], size, MAX_KEY_LENGTH))
            encoded[key] = _value(value)
        if self._max is not None and encoded_size(encoded) > self._max:
            raise PublishError("snapshot of %d bytes exceeds the state file's limit of %d bytes (state.max_snapshot)"
                               % (encoded_size(encoded), self._max))
        if encoded == self._last:
            return False
        line = json.dumps({k: self._json(v) for k, v in sorted(encoded.items())},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        self._write(line)
        self._last = encoded
        return True

    def ready(self):
        """Rings the doorbell (an empty line): makes a ready = "publish" worker ready without publishing."""
        self._write(b"\n")

    @staticmethod
    def _json(value):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": base64.b64encode(value).decode("ascii")}

    def _write(self, line):
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view):]

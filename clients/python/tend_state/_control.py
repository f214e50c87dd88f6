"""The control socket of a running tend (docs/control-protocol.md): require and ps."""

import json
import os
import socket


class TendError(Exception):
    """A request tend answered with ok = false: message, code (tend's exit codes) and failure reports."""

    def __init__(self, message, code=1, failures=()):
        super().__init__(message)
        self.code = code
        self.failures = [FailureReport(f) for f in failures]

    def report(self):
        """The message followed by each failure report, as tend require prints them."""
        return "\n".join([str(self)] + [f.text() for f in self.failures])


class FailureReport:
    """Why a worker failed or was not ready: the fields of docs/control-protocol.md, "The action result"."""

    def __init__(self, fields):
        self.worker = fields.get("worker", "")
        self.pool = fields.get("pool", "")
        self.command = fields.get("command", "")
        self.reason = fields.get("reason", "")
        self.last_exit = fields.get("last_exit", "")
        self.attempts = fields.get("attempts", 0)
        self.ran_for_ms = fields.get("ran_for_ms", 0)
        self.stderr = list(fields.get("stderr", []))

    def text(self):
        lines = ["%s %s" % (self.worker, self.reason),
                 "  pool:      %s" % self.pool,
                 "  command:   %s" % self.command,
                 "  last exit: %s%s" % (self.last_exit, " after running " + _duration(self.ran_for_ms) if self.ran_for_ms else ""),
                 "  attempts:  %d" % self.attempts]
        if self.stderr:
            lines.append("  last lines of stderr:")
            lines.extend("    " + line for line in self.stderr)
        else:
            lines.append("  stderr:    (nothing)")
        return "\n".join(lines)


def _duration(ms):
    """A duration as tend prints one (dev.tend.text.Human.duration): 10ms, 1.5s, 2m30s."""
    if ms < 1000:
        return "%dms" % ms
    if ms % 1000:
        return "%ss" % (ms / 1000)
    s = ms // 1000
    return (("%dh" % (s // 3600)) if s >= 3600 else "") + (("%dm" % (s % 3600 // 60)) if s % 3600 >= 60 else "") \
        + (("%ds" % (s % 60)) if s % 60 else "")


def socket_path(instance=None):
    """The control socket: TEND_SOCKET inside a worker, else the one of the named instance.

    The runtime directories are searched as the tend commands do (docs/control-protocol.md).
    """
    if instance is None:
        path = os.environ.get("TEND_SOCKET")
        if path:
            return path
        raise TendError("TEND_SOCKET is not set: name the instance (its runtime directory holds control.sock)", 3)
    bases = []
    if os.environ.get("TEND_RUNTIME_DIR"):
        bases.append(os.environ["TEND_RUNTIME_DIR"])
    if os.getuid() == 0:
        bases.append("/run/tend")
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isdir(xdg):
        bases.append(os.path.join(xdg, "tend"))
    bases.append("/tmp/tend-%d" % os.getuid())
    for base in bases:
        candidate = os.path.join(base, instance, "control.sock")
        if os.path.exists(candidate):
            return candidate
    raise TendError("tend instance %s is not running (no control.sock under %s)" % (instance, ", ".join(bases)), 3)


class Control:
    """One request per connection, JSON lines both ways; heartbeats bound the wait on a silent tend."""

    def __init__(self, path=None, instance=None):
        self.path = path or socket_path(instance)

    def request(self, message, timeout=30.0):
        """Sends one request and returns its final message (raises TendError when it is not ok)."""
        heartbeat = max(0.1, timeout / 4)
        message = dict(message, heartbeat_ms=int(heartbeat * 1000))
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            try:
                s.connect(self.path)
            except (FileNotFoundError, ConnectionRefusedError):
                raise TendError("tend is not running (nothing answers on %s)" % self.path, 3) from None
            s.sendall(json.dumps(message).encode("utf-8") + b"\n")
            try:
                for line in s.makefile("rb"):
                    reply = json.loads(line)
                    if "ok" not in reply:
                        continue  # an event: heartbeats say tend is alive and working
                    if not reply["ok"]:
                        raise TendError(reply.get("error", "tend refused the request"), reply.get("code", 1),
                                        reply.get("failures", ()))
                    return reply
            except socket.timeout:
                raise TendError("tend did not answer for %g s (not even a heartbeat): stopped or stuck" % timeout,
                                1) from None
        raise TendError("the connection to tend ended before its answer (tend stopped?)", 1)

    def require(self, names, timeout=30.0):
        """Starts the named workers if needed and waits until they are ready (tend require).

        Raises TendError with the failure reports when one fails before it is ready or the timeout passes.
        """
        if isinstance(names, str):
            names = [names]
        return self.request({"op": "require", "names": list(names), "timeout_ms": int(timeout * 1000)},
                            timeout + 5)

    def ps(self):
        """Every worker of the instance, as the list of worker objects of the ps operation."""
        return self.request({"op": "ps"})["workers"]


def require(names, timeout=30.0, instance=None):
    """tend require from inside a worker (or of a named instance)."""
    return Control(instance=instance).require(names, timeout)


def ps(instance=None):
    """tend ps's workers, from inside a worker (or of a named instance)."""
    return Control(instance=instance).ps()

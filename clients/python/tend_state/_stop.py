"""tend's stop request: end of file on stdin (docs/worker-contract.md, "How a worker is stopped")."""

import os
import select
import sys


class StopRequest:
    """Stdin seen as a stop request. tend never writes to it, so readable means end of file.

    ``fileno()`` lets it sit in a select/poll/selectors loop next to the worker's own sockets.
    """

    def __init__(self, fd=None):
        self._fd = sys.stdin.fileno() if fd is None else fd
        self._stopped = False

    def fileno(self):
        return self._fd

    def requested(self, timeout=0.0):
        """Whether tend asked this worker to stop, waiting up to timeout seconds (None: until it does)."""
        if self._stopped:
            return True
        readable, _, _ = select.select([self._fd], [], [], timeout)
        if readable:
            try:
                # tend writes nothing: anything read is stray input, and b"" is the stop request.
                self._stopped = os.read(self._fd, 4096) == b""
            except OSError:
                self._stopped = True
        return self._stopped

    def wait(self, timeout=None):
        """Blocks until the stop request (True) or until timeout seconds pass (False)."""
        return self.requested(timeout)

    def run_jobs(self, job):
        """Calls job() until tend asks the worker to stop: the job in hand is always finished first.

        job should return within a bounded time (for example a blocking pop with a timeout of a second) so
        that the stop is noticed within tend's grace.
        """
        while not self.requested():
            job()

#!/usr/bin/env python3
"""Read a tend state file (layout 2.x) without tend: Python 3 standard library only.

A thin command line over the tend_state package in clients/python (docs/python.md), which is written
from docs/state-file.md alone.

Usage:
    state_reader.py FILE                   list slot names, one per line
    state_reader.py FILE --json            all slots, as a JSON array of slot objects
    state_reader.py FILE NAME              one slot as a JSON object (docs/state-file.md, section 12)
    state_reader.py FILE NAME KEY          the value of KEY, raw bytes, nothing added
    state_reader.py FILE NAME KEY --json   the value as JSON: a string, or {"base64": "..."}

NAME is a slot name, or the name of a pool that has exactly one live worker.

Exit status: 0 success, 1 error (not a state file, corrupt, ambiguous name), 2 usage, 3 no such
slot or key.
"""

import os
import sys

# The package of this source tree (installed, it is PREFIX/share/tend/python/tend_state).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "clients", "python"))

from tend_state.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], "state_reader", __doc__))

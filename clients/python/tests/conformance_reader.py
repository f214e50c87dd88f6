"""The conformance test's reader: opens FILE, then for each name read on stdin prints the slot as one JSON line
(docs/state-file.md section 12), or {"error": ..., "code": ...}. One long-lived State, so the file grows under it."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tend_state import NotFound, State, StateError  # noqa: E402

state = State(sys.argv[1])
for line in sys.stdin:
    name = line.rstrip("\n")
    try:
        out = state.slot(name).to_json()
        out["same_array"] = state.get(name) is state.get(name)
    except NotFound as e:
        out = {"error": str(e), "code": 3}
    except StateError as e:
        out = {"error": str(e), "code": 1}
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()

"""tend_state: tend's published state, stop request and control socket from Python (standard library only).

    from tend_state import State, Publisher, StopRequest, require

    state = State()                       # the state file in TEND_STATE
    settings = state.get("settings")      # a dict of bytes, the same object while its version is unchanged
    Publisher().publish({"jobs": 3})      # this worker's snapshot, over fd 3
    StopRequest().run_jobs(do_one_job)    # until tend closes stdin; the job in hand is finished
    require("cache-eu", timeout=10)       # start a lazy worker and wait until it is ready

See docs/python.md.
"""

from ._control import Control, FailureReport, TendError, ps, require, socket_path
from ._publish import PublishError, Publisher, encoded_size
from ._reader import NotFound, SlotInfo, Snapshot, State, StateError, json_value
from ._stop import StopRequest

__all__ = ["State", "Snapshot", "SlotInfo", "StateError", "NotFound", "json_value",
           "Publisher", "PublishError", "encoded_size", "StopRequest",
           "Control", "TendError", "FailureReport", "require", "ps", "socket_path"]

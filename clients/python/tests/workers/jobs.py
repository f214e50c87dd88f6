import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from tend_state import Publisher, StopRequest  # noqa: E402

publisher = Publisher()
counts = {"started": 0, "finished": 0}
publisher.publish(counts)


def job():
    counts["started"] += 1
    publisher.publish(counts)
    time.sleep(0.3)  # the job in hand
    counts["finished"] += 1
    publisher.publish(counts)


StopRequest().run_jobs(job)
sys.stderr.write("stopped after finishing %d jobs\n" % counts["finished"])

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from tend_state import Publisher, PublishError, StopRequest  # noqa: E402

publisher = Publisher()
snapshot = {"text": "héllo ✓", "bin": b"\0\xff\xfe", "empty": "", "n": 17, "yes": True, "ключ": "значение"}
first = publisher.publish(snapshot)
again = publisher.publish(snapshot)  # identical: skipped, nothing written
try:
    publisher.publish({"big": "x" * 65536})
    too_big = "published"
except PublishError as e:
    too_big = str(e)
try:
    publisher.publish({"": "empty key"})
    empty_key = "published"
except PublishError as e:
    empty_key = str(e)
publisher.publish(dict(snapshot, first=first, again=again, too_big=too_big, empty_key=empty_key))
StopRequest().wait()

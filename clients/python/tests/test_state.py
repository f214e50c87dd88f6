"""The Python client against a real tend: run as the command of tend run -c clients/python/tests/tend.toml."""

import os
import shutil
import struct
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tend_state import Control, NotFound, State, StateError, TendError, socket_path  # noqa: E402


def await_true(seconds, what, condition):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("waited %ss for %s" % (seconds, what))
        time.sleep(0.01)


class ReadingTest(unittest.TestCase):
    def setUp(self):
        self.state = State()
        self.addCleanup(self.state.close)

    def test_a_snapshot_binary_safe_with_numbers_and_booleans_as_json_text(self):
        data = self.state.get("publisher")
        self.assertEqual(b"h\xc3\xa9llo \xe2\x9c\x93", data["text"])
        self.assertEqual("héllo ✓", data.text("text"))
        self.assertEqual(b"\0\xff\xfe", data["bin"])
        self.assertEqual(b"", data["empty"])
        self.assertEqual(b"17", data["n"])
        self.assertEqual(b"true", data["yes"])
        self.assertEqual("значение", self.state.get("publisher.1").text("ключ"))
        self.assertEqual(["again", "bin", "empty", "empty_key", "first", "n", "text", "too_big", "yes", "ключ"],
                         list(data), "canonical order")
        self.assertIsNone(self.state.value("publisher", "nokey"))

    def test_the_same_object_while_unchanged_and_a_new_one_after_a_publish(self):
        first = self.state.get("jobs")
        self.assertIs(first, self.state.get("jobs"))
        self.assertFalse(self.state.changed(first))
        await_true(5, "a new publish by jobs.1", lambda: self.state.version("jobs") > first.version)
        self.assertTrue(self.state.changed(first))
        self.assertIsNot(first, self.state.get("jobs"))
        self.assertIs(self.state.get_many(["jobs"])["jobs"], self.state.get("jobs"))

    def test_version_owner_and_liveness(self):
        slot = self.state.slot("publisher")
        self.assertEqual(("publisher.1", "publisher", "running"), (slot.name, slot.pool, slot.owner_state))
        self.assertTrue(slot.running and self.state.owner_running("publisher") and self.state.supervisor_alive())
        workers = {w["name"]: w for w in Control().ps()}
        self.assertEqual(workers["publisher.1"]["pid"], slot.owner_pid)
        self.assertEqual(workers["publisher.1"]["state_version"], slot.version)
        self.assertGreaterEqual(slot.snapshot.age_ms(), 0)
        self.assertEqual(("running", slot.owner_pid), self.state.owner("publisher"))

    def test_names_not_found(self):
        with self.assertRaisesRegex(NotFound, "no worker named nobody"):
            self.state.get("nobody")
        self.assertIn("publisher.1", self.state.names())
        with self.assertRaises(NotFound):
            State("/nonexistent/state")

    def damaged(self, change):
        fd, copy = tempfile.mkstemp(prefix="tend-state-")
        os.close(fd)
        self.addCleanup(os.unlink, copy)
        shutil.copyfile(os.environ["TEND_STATE"], copy)
        with open(copy, "r+b") as f:
            change(f)
        return copy

    def test_a_damaged_file_is_refused_with_what_is_wrong(self):
        def poke(offset, data):
            def change(f):
                f.seek(offset)
                f.write(data)
            return change
        with self.assertRaisesRegex(StateError, "has layout version 3.1; this reader understands 2.x only"):
            State(self.damaged(poke(8, struct.pack("<I", 3))))
        with self.assertRaisesRegex(StateError, r"is not a tend state file \(bad magic number\)"):
            State(self.damaged(poke(0, b"NOTSTATE")))
        with self.assertRaisesRegex(StateError, "is impossible"):
            State(self.damaged(poke(64, struct.pack("<Q", 1 << 40)))).get("publisher")

        def bad_payload(f):
            d = 4096 + 256  # slot 0: publisher.1
            f.seek(d)
            version, buf0, buf1 = struct.unpack("<3Q", f.read(24))
            f.seek((buf1 if version & 1 else buf0) + 64)
            f.write(struct.pack("<I", 1000))
        with self.assertRaisesRegex(StateError, "has a malformed payload"):
            State(self.damaged(bad_payload)).get("publisher")


class WorkerTest(unittest.TestCase):
    def test_publish_skips_an_identical_snapshot_and_refuses_a_bad_key_or_one_over_the_limit(self):
        with State() as state:
            data = state.get("publisher")
            self.assertEqual(b"true", data["first"])
            self.assertEqual(b"false", data["again"], "the second, identical publish was skipped")
            self.assertIn("exceeds the state file's limit of 65536 bytes", data.text("too_big"))
            self.assertIn("a key is 1 to 1024 bytes of UTF-8", data.text("empty_key"))
            self.assertEqual(2, state.version("publisher"))

    def test_stop_finishes_the_job_in_hand_then_exits_0(self):
        with State() as state:
            await_true(10, "jobs.1 to start a job", lambda: int(state.get("jobs").get("started", b"0")) > 0)
            result = Control().request({"op": "stop", "targets": ["jobs.1"], "wait": True}, 20)
            self.assertEqual("stopped", result["workers"][0]["state"])
            self.assertEqual("exit status 0", result["workers"][0]["last_exit"])
            data = state.get("jobs")
            self.assertEqual(data["started"], data["finished"], "every job started was finished")

    def test_require_starts_a_lazy_worker_whose_state_is_readable_at_once(self):
        result = Control().require("fine-1", 20)
        self.assertIn("required fine-1", result["message"])
        with State() as state:
            self.assertEqual("héllo ✓", state.get("fine-1").text("text"))

    def test_require_of_a_worker_that_fails_raises_its_report(self):
        with self.assertRaises(TendError) as raised:
            Control().require(["broken-1"], 20)
        e = raised.exception
        self.assertEqual(1, e.code)
        self.assertIn("broken-1 ended before it was ready", str(e))
        report = e.failures[0]
        self.assertEqual(("broken-1", "broken", "exit status 9", 1), (report.worker, report.pool, report.last_exit, report.attempts))
        self.assertEqual(["cannot reach the database"], report.stderr)
        self.assertIn("echo 'cannot reach the database' >&2; exit 9", report.command)
        self.assertIn("  last lines of stderr:\n    cannot reach the database", e.report())

    def test_require_timeout_is_code_4_and_an_unknown_name_code_3(self):
        with self.assertRaises(TendError) as raised:
            Control().require("mute-1", 1)
        self.assertEqual(4, raised.exception.code)
        self.assertIn("not ready after", raised.exception.failures[0].reason)
        with self.assertRaises(TendError) as raised:
            Control().require("nobody")
        self.assertEqual(3, raised.exception.code)
        with self.assertRaises(TendError) as raised:
            Control("/nonexistent/control.sock").ps()
        self.assertEqual(3, raised.exception.code)

    def test_ps_and_the_socket_path(self):
        states = {w["name"]: w["state"] for w in Control().ps()}
        self.assertEqual("running", states["publisher.1"])
        self.assertIn("jobs.1", states)
        self.assertEqual(os.environ["TEND_SOCKET"], socket_path())
        self.assertEqual(os.environ["TEND_SOCKET"], socket_path(os.environ["TEND_NAME"]))


if __name__ == "__main__":
    unittest.main()

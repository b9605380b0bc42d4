"""The catch-up runner the chat inbox and the command intake share: one pass at a time, no request lost."""

import threading
import time
import unittest

from echocenter_agent.catch_up import CatchUpRunner


def eventually(check, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()


class CatchUpRunnerTest(unittest.TestCase):
    def setUp(self):
        self.passes = 0
        self.inside = 0
        self.most_inside = 0
        self.threads = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

        def catch_up():
            with self.lock:
                self.passes += 1
                self.inside += 1
                self.most_inside = max(self.most_inside, self.inside)
                self.threads.append(threading.current_thread().name)
            self.entered.set()
            self.release.wait(3)
            with self.lock:
                self.inside -= 1
        self.runner = CatchUpRunner(catch_up, 'test-catch-up')

    def test_requests_during_a_pass_make_one_more_pass_never_an_overlapping_one(self):
        self.runner.start()
        self.assertTrue(self.entered.wait(3))
        for _ in range(3):
            self.runner.start()
        self.release.set()
        self.assertTrue(eventually(lambda: self.passes == 2))
        time.sleep(0.2)
        self.assertEqual(self.passes, 2)
        self.assertEqual(self.most_inside, 1)
        self.assertEqual(self.threads, ['test-catch-up', 'test-catch-up'])

    def test_a_request_after_the_last_pass_ended_starts_a_new_one(self):
        self.release.set()
        self.runner.start()
        self.assertTrue(eventually(lambda: self.passes == 1))
        self.assertTrue(eventually(lambda: not self.runner._running))
        self.runner.start()
        self.assertTrue(eventually(lambda: self.passes == 2))

    def test_run_passes_on_the_callers_thread(self):
        self.release.set()
        self.runner.run()
        self.assertEqual(self.threads, [threading.current_thread().name])

"""What the SDK's tests share: the control plane the driver (test/python/python-sdk.test.ts) started."""
from __future__ import annotations

import os
import time
import unittest
from typing import Callable

ADDRESS = os.environ.get("ORCHESTRATOR_TEST_ADDR", "")
API_KEY = os.environ.get("ORCHESTRATOR_TEST_API_KEY", "")
TS_FALLBACK = os.environ.get("ORCHESTRATOR_TEST_TS_FALLBACK", "")

needs_control_plane = unittest.skipUnless(ADDRESS, "ORCHESTRATOR_TEST_ADDR is not set: run through test/python/python-sdk.test.ts")


def wait_for(what: str, check: Callable[[], bool], timeout: float = 60.0, interval: float = 0.1) -> None:
    """Polls ``check`` until it is true; raises AssertionError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)

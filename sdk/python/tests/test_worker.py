"""The worker helper: a Python function as a registered instance, reached by the router and the scheduler."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import unittest

import grpc

from orchestrator_sdk import Client, OrchestratorError, WorkError, from_value, serve_worker

from .support import ADDRESS, API_KEY, TS_FALLBACK, needs_control_plane, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))


def square(payload, context):
    if payload == "unavailable":
        raise WorkError(grpc.StatusCode.FAILED_PRECONDITION, "asked to fail")
    return {"python": context.instance, "square": payload["n"] ** 2, "attempt": context.attempt}


@needs_control_plane
class WorkerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = Client(ADDRESS, api_key=API_KEY, timeout=30)
        self.addCleanup(self.client.close)

    def test_router_and_scheduler_reach_a_python_function(self) -> None:
        with serve_worker(square, name="py-1", pool="py", control_plane=ADDRESS, api_key=API_KEY, heartbeat_interval=0.5) as worker:
            wait_for("py-1 healthy", lambda: self.client.health(["py-1"]) == {"py-1": "healthy"})
            instance = self.client.instances(["py-1"])[0]
            self.assertEqual((instance.address, instance.pool, instance.kind), (worker.address, "py", 1))  # INSTANCE_KIND_SERVICE

            routed = self.client.route(["py-1"], {"n": 7})
            self.assertEqual((routed.instance, routed.result), ("py-1", {"python": "py-1", "square": 49, "attempt": 1}))
            with self.assertRaises(OrchestratorError) as failed:
                self.client.route(["py-1"], "unavailable")
            self.assertEqual(failed.exception.code, grpc.StatusCode.FAILED_PRECONDITION)

            self.client.create_task("py-square", "square it", payload={"n": 9}, target="py-1")
            self.client.dispatch("py-square", "py-1")
            wait_for("py-square completed", lambda: self.client.get_task("py-square").status == "completed")
            self.assertEqual(from_value(self.client.get_task("py-square").result)["square"], 81)
        # close() deregistered it
        with self.assertRaises(OrchestratorError) as gone:
            self.client.instances(["py-1"])
        self.assertEqual(gone.exception.code, grpc.StatusCode.NOT_FOUND)

    @unittest.skipUnless(TS_FALLBACK, "no TypeScript instance to fall back to")
    def test_a_killed_worker_is_down_and_routes_fall_back_to_typescript(self) -> None:
        env = dict(os.environ)
        child = subprocess.Popen([sys.executable, os.path.join(HERE, "worker_process.py"), "py-kill", "mixed"], stdout=subprocess.PIPE, text=True, env=env)
        self.addCleanup(lambda: child.stdout and child.stdout.close())
        self.addCleanup(lambda: child.poll() is None and child.kill())
        line = child.stdout.readline() if child.stdout else ""
        self.assertTrue(line.startswith("ready "), line)
        wait_for("py-kill healthy", lambda: self.client.health(["py-kill"]) == {"py-kill": "healthy"})
        self.assertEqual(self.client.route(["py-kill"], {"n": 1}).instance, "py-kill")

        child.send_signal(signal.SIGKILL)
        child.wait(10)
        wait_for("py-kill down", lambda: self.client.health(["py-kill"]) == {"py-kill": "down"})
        fallback = self.client.route(["py-kill"], {"n": 2})
        self.assertEqual(fallback.instance, TS_FALLBACK)
        self.assertEqual(fallback.result["echo"], {"n": 2})


if __name__ == "__main__":
    unittest.main()

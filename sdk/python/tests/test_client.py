"""The typed client against a running control plane with API keys and TypeScript instances A-C."""
from __future__ import annotations

import json
import threading
import unittest

import grpc

from orchestrator.router.v1 import router_pb2
from orchestrator_sdk import Client, OrchestratorError, from_value, to_value

from .support import ADDRESS, API_KEY, needs_control_plane


@needs_control_plane
class ClientTest(unittest.TestCase):
    client: Client

    @classmethod
    def setUpClass(cls) -> None:
        cls.client = Client(ADDRESS, api_key=API_KEY, timeout=30)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.client.close()

    def test_route(self) -> None:
        routed = self.client.route(["A", "B"], {"data": "task"})
        self.assertIn(routed.instance, ("A", "B"))
        self.assertEqual(routed.result["echo"], {"data": "task"})
        self.assertEqual(routed.attempts, 1)

    def test_fanout(self) -> None:
        fanned = self.client.fanout(["A-C"], {"q": 1})
        self.assertEqual([(o.instance, o.status) for o in fanned.outcomes], [("A", "ok"), ("B", "ok"), ("C", "ok")])
        self.assertTrue(fanned.satisfied)
        self.assertEqual(len(fanned.aggregate), 3)
        first = self.client.fanout(["A-C"], {"q": 2}, aggregate="first")
        self.assertIn(first.aggregate["instance"], ("A", "B", "C"))

    def test_sessions(self) -> None:
        spawned = self.client.spawn_session("py-session-1", instances=["A-C"])
        self.assertTrue(spawned.token.startswith("ost_"))
        sent = self.client.send_session(token=spawned.token, data={"key": "value"})
        self.assertEqual(sent.sequence, 1)
        self.assertEqual(from_value(sent.result)["echo"], {"key": "value"})
        got = self.client.get_session("py-session-1", include_history=True)
        self.assertEqual([from_value(h.data) for h in got.history], [{"key": "value"}])
        self.assertEqual(self.client.close_session("py-session-1").state, 2)  # SESSION_STATE_CLOSED

    def test_health_and_instances(self) -> None:
        self.assertEqual(self.client.health(["A-C"]), {"A": "healthy", "B": "healthy", "C": "healthy"})
        self.assertEqual([i.name for i in self.client.instances(["A", "B"])], ["A", "B"])

    def test_send_and_wait_for_mail(self) -> None:
        received = []
        waiter = threading.Thread(target=lambda: received.extend(self.client.wait("py-inbox", types=["status"], wait_seconds=20)))
        waiter.start()
        sent = self.client.send("py-inbox", "build done", "all green", type="status", priority="high", payload=json.dumps({"ok": True}))
        waiter.join(30)
        self.assertEqual([m.subject for m in received], ["build done"])
        self.assertEqual(received[0].thread_id, sent.thread_id)
        self.assertEqual(self.client.check("py-inbox", unread_only=True), [])  # the wait marked it read

    def test_three_task_dag(self) -> None:
        spec = {"tasks": [
            {"id": "py-a", "spec": "first"},
            {"id": "py-b", "spec": "second", "deps": ["py-a"]},
            {"id": "py-c", "spec": "third", "deps": ["py-a", "py-b"]},
        ], "target": "A-C"}
        run = self.client.start_run(json.dumps(spec), format="json")
        finished = self.client.wait_run(run.id, timeout=60)
        self.assertEqual(finished.status, "done")
        self.assertEqual(finished.counts.completed, 3)
        tasks = {t.key: t for t in self.client.list_tasks(run_id=run.id)}
        self.assertEqual(sorted(tasks), ["py-a", "py-b", "py-c"])
        self.assertTrue(all(t.status == "completed" for t in tasks.values()))

    def test_tasks_and_gates(self) -> None:
        task = self.client.create_task("py-gated", "needs a decision")
        self.assertEqual(task.status, "ready")
        gate = self.client.create_gate("py-gated", "ship?", options=["yes", "no"])
        self.assertEqual(self.client.get_task("py-gated").status, "blocked")
        self.assertEqual(self.client.resolve_gate(gate.id, "yes", resolved_by="py").status, "resolved")
        self.assertEqual(self.client.get_task("py-gated").status, "ready")

    def test_errors_carry_code_reason_and_field(self) -> None:
        with self.assertRaises(OrchestratorError) as unknown:
            self.client.route(["Z"], {"data": 1})
        self.assertEqual(unknown.exception.code, grpc.StatusCode.NOT_FOUND)
        self.assertEqual(unknown.exception.reason, "unknown_instance")
        self.assertTrue(unknown.exception.field.startswith("instances"), unknown.exception.field)
        with self.assertRaises(OrchestratorError) as invalid:
            self.client.route([], None)
        self.assertEqual(invalid.exception.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(invalid.exception.field, "instances")
        with self.assertRaises(OrchestratorError) as missing:
            self.client.create_task("py-bad", "x", deps=["py-nope"])
        self.assertEqual(missing.exception.reason, "unknown_dependency")
        with self.assertRaises(OrchestratorError):
            self.client.get_task("py-bad")  # nothing was written

    def test_api_key_and_deadline_are_sent(self) -> None:
        with Client(ADDRESS, api_key="") as anonymous, self.assertRaises(OrchestratorError) as no_key:
            anonymous.health(["A"])
        self.assertEqual(no_key.exception.code, grpc.StatusCode.UNAUTHENTICATED)
        self.assertEqual(no_key.exception.reason, "missing_api_key")
        # No timeout in the request: only the call's deadline can end a call to an instance that hangs.
        hang = router_pb2.RouteRequest(instances=["A"], payload=to_value({"demo": {"hang": True}}), max_attempts=1)
        with self.assertRaises(OrchestratorError) as late:
            self.client.call(self.client.router.Route, hang, timeout=0.5)
        self.assertEqual(late.exception.code, grpc.StatusCode.DEADLINE_EXCEEDED)


if __name__ == "__main__":
    unittest.main()

"""A small typed client of the orchestrator's gRPC services."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, TypeVar

import grpc
from google.protobuf import duration_pb2
from orchestrator.health.v1 import health_pb2, health_pb2_grpc
from orchestrator.mailbox.v1 import mailbox_pb2, mailbox_pb2_grpc
from orchestrator.router.v1 import router_pb2, router_pb2_grpc
from orchestrator.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc

from .errors import OrchestratorError
from .values import JSON, from_value, to_value

T = TypeVar("T")

DEFAULT_ADDRESS = "127.0.0.1:50051"
FINAL_RUN_STATUSES = frozenset({"done", "failed", "stopped"})


def _duration(seconds: Optional[float]) -> Optional[duration_pb2.Duration]:
    if seconds is None:
        return None
    d = duration_pb2.Duration()
    d.FromNanoseconds(int(seconds * 1e9))
    return d


@dataclass(frozen=True)
class RouteResult:
    """What Route answered: the instance's result as JSON and who served it."""

    instance: str
    result: JSON
    attempts: int
    trace_id: str
    work_id: str
    raw: router_pb2.RouteResponse = field(repr=False)


@dataclass(frozen=True)
class InstanceOutcome:
    """One target of a fanout: ``status`` is ``ok``, ``error``, ``timeout`` or ``cancelled``."""

    instance: str
    status: str
    result: JSON
    code: str
    reason: str
    message: str


@dataclass(frozen=True)
class FanoutResult:
    """Every target's outcome (target order) and the aggregate (``all``: the list of successful results)."""

    outcomes: List[InstanceOutcome]
    aggregate: JSON
    satisfied: bool
    timed_out: bool
    raw: router_pb2.FanoutResponse = field(repr=False)


class Client:
    """Calls the control plane over gRPC with the API key and a deadline on every call.

    ``address`` defaults to ``$ORCHESTRATOR_ADDR`` (else ``127.0.0.1:50051``), ``api_key`` to
    ``$ORCHESTRATOR_API_KEY``; ``timeout`` (seconds) is the default deadline of each call, which
    every method also takes. Failures raise :class:`OrchestratorError` carrying the gRPC code,
    the reason and the field. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, address: Optional[str] = None, api_key: Optional[str] = None, timeout: float = 30.0) -> None:
        self.address = address or os.environ.get("ORCHESTRATOR_ADDR") or DEFAULT_ADDRESS
        key = api_key if api_key is not None else os.environ.get("ORCHESTRATOR_API_KEY", "")
        self._metadata = (("authorization", f"Bearer {key}"),) if key else ()
        self.timeout = timeout
        self._channel = grpc.insecure_channel(self.address)
        self.router = router_pb2_grpc.RouterServiceStub(self._channel)
        self.health_service = health_pb2_grpc.HealthServiceStub(self._channel)
        self.mailbox = mailbox_pb2_grpc.MailboxServiceStub(self._channel)
        self.scheduler = scheduler_pb2_grpc.SchedulerServiceStub(self._channel)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Closes the channel."""
        self._channel.close()

    def call(self, method: Callable[..., T], request: Any, timeout: Optional[float] = None) -> T:
        """Runs one unary call of a stub with the key and the deadline; raises OrchestratorError."""
        try:
            return method(request, timeout=self.timeout if timeout is None else timeout, metadata=self._metadata)
        except grpc.RpcError as err:
            raise OrchestratorError.from_rpc_error(err) from None

    # Router ---------------------------------------------------------------------------------

    def route(
        self,
        instances: Sequence[str],
        payload: JSON = None,
        *,
        key: str = "",
        max_attempts: int = 0,
        fallback: str = "",
        metadata: Optional[Dict[str, str]] = None,
        timeout: Optional[float] = None,
    ) -> RouteResult:
        """Delivers ``payload`` to one of ``instances`` (selectors: ``["A"]``, ``["A-H"]``, ``["@pool:x"]``)."""
        request = router_pb2.RouteRequest(
            instances=list(instances), payload=to_value(payload), key=key, max_attempts=max_attempts,
            fallback=fallback, metadata=metadata or {}, timeout=_duration(timeout),
        )
        res = self.call(self.router.Route, request, timeout)
        return RouteResult(res.instance, from_value(res.result), len(res.attempts), res.trace_id, res.work_id, res)

    def fanout(
        self,
        targets: Sequence[str],
        payload: JSON = None,
        *,
        aggregate: str = "all",
        quorum: int = 0,
        timeout: Optional[float] = None,
    ) -> FanoutResult:
        """Sends ``payload`` to every target at once; ``aggregate`` is ``all``, ``first``, ``quorum`` or ``merge``."""
        request = router_pb2.FanoutRequest(
            targets=list(targets), payload=to_value(payload), aggregate=aggregate, quorum=quorum, timeout=_duration(timeout)
        )
        res = self.call(self.router.Fanout, request, None if timeout is None else timeout + 5)
        outcomes = [
            InstanceOutcome(
                r.instance, router_pb2.ResultStatus.Name(r.status).removeprefix("RESULT_STATUS_").lower(),
                from_value(r.result) if r.HasField("result") else None, r.code, r.reason, r.message,
            )
            for r in res.results
        ]
        return FanoutResult(outcomes, from_value(res.summary.result), res.summary.satisfied, res.summary.timed_out, res)

    def spawn_session(
        self, session_id: str = "", *, instances: Sequence[str] = (), pool: str = "", ttl: Optional[float] = None, timeout: Optional[float] = None
    ) -> router_pb2.SpawnSessionResponse:
        """Opens a session pinned to one instance; the answer has ``session`` and ``token``."""
        request = router_pb2.SpawnSessionRequest(session_id=session_id, instances=list(instances), pool=pool, ttl=_duration(ttl))
        return self.call(self.router.SpawnSession, request, timeout)

    def send_session(
        self, session_id: str = "", data: JSON = None, *, token: str = "", timeout: Optional[float] = None
    ) -> router_pb2.SendSessionResponse:
        """Delivers ``data`` to the session's instance (by id or token); ``from_value(answer.result)`` is its result."""
        request = router_pb2.SendSessionRequest(session_id=session_id, token=token, data=to_value(data))
        return self.call(self.router.SendSession, request, timeout)

    def get_session(self, session_id: str, *, include_history: bool = False, timeout: Optional[float] = None) -> router_pb2.GetSessionResponse:
        """Returns a session, optionally with its history."""
        return self.call(self.router.GetSession, router_pb2.GetSessionRequest(session_id=session_id, include_history=include_history), timeout)

    def close_session(self, session_id: str = "", *, token: str = "", timeout: Optional[float] = None) -> router_pb2.Session:
        """Closes a session."""
        return self.call(self.router.CloseSession, router_pb2.CloseSessionRequest(session_id=session_id, token=token), timeout).session

    # Health ---------------------------------------------------------------------------------

    def health(self, instances: Sequence[str] = (), *, timeout: Optional[float] = None) -> Dict[str, str]:
        """The health map of the selected instances: ``{"A": "healthy", "B": "down"}``."""
        res = self.call(self.health_service.CheckHealth, health_pb2.CheckHealthRequest(instances=list(instances)), timeout)
        return dict(res.statuses)

    def instances(self, selectors: Sequence[str] = (), *, timeout: Optional[float] = None) -> List[health_pb2.Instance]:
        """The registered instances matching the selectors (all when none)."""
        return list(self.call(self.health_service.ListInstances, health_pb2.ListInstancesRequest(selectors=list(selectors)), timeout).instances)

    # Mailbox --------------------------------------------------------------------------------

    def send(
        self,
        to: str,
        subject: str,
        body: str = "",
        *,
        type: str = "status",  # noqa: A002 - the message field's name
        priority: str = "normal",
        payload: str = "",
        thread_id: str = "",
        sender: str = "",
        timeout: Optional[float] = None,
    ) -> mailbox_pb2.SendResponse:
        """Sends a message to a handle or a group (one message per recipient, one thread)."""
        request = mailbox_pb2.SendRequest(to=to, subject=subject, body=body, type=type, priority=priority, payload=payload, thread_id=thread_id)
        setattr(request, "from", sender)
        return self.call(self.mailbox.Send, request, timeout)

    def check(
        self, handle: str, *, unread_only: bool = False, types: Sequence[str] = (), limit: int = 0, mark_read: bool = False, timeout: Optional[float] = None
    ) -> List[mailbox_pb2.Message]:
        """A handle's messages now, urgent first."""
        request = mailbox_pb2.CheckRequest(handle=handle, unread_only=unread_only, types=list(types), limit=limit, mark_read=mark_read)
        return list(self.call(self.mailbox.Check, request, timeout).messages)

    def wait(
        self, handle: str, *, types: Sequence[str] = (), wait_seconds: float = 120.0, mark_read: bool = True, timeout: Optional[float] = None
    ) -> List[mailbox_pb2.Message]:
        """Blocks until an unread matching message exists (at once if one does) or ``wait_seconds`` pass (then ``[]``).

        The call's deadline is ``timeout`` when given, else ``wait_seconds`` plus a margin.
        """
        request = mailbox_pb2.CheckRequest(
            handle=handle, types=list(types), wait=True, unread_only=True, mark_read=mark_read, timeout_ms=int(wait_seconds * 1000)
        )
        return list(self.call(self.mailbox.Check, request, wait_seconds + 10 if timeout is None else timeout).messages)

    # Scheduler ------------------------------------------------------------------------------

    def create_task(
        self,
        id: str,  # noqa: A002 - the task field's name
        spec: str,
        *,
        deps: Sequence[str] = (),
        payload: JSON = None,
        target: str = "",
        max_attempts: int = 0,
        priority: int = 0,
        timeout: Optional[float] = None,
    ) -> scheduler_pb2.Task:
        """Creates a task; ``deps`` must exist and make no cycle."""
        request = scheduler_pb2.CreateTaskRequest(
            id=id, spec=spec, deps=list(deps), payload=to_value(payload), target=target, max_attempts=max_attempts, priority=priority
        )
        return self.call(self.scheduler.CreateTask, request, timeout).task

    def get_task(self, id: str, *, timeout: Optional[float] = None) -> scheduler_pb2.Task:  # noqa: A002
        """Returns one task; ``from_value(task.result)`` is its result once completed."""
        return self.call(self.scheduler.GetTask, scheduler_pb2.GetTaskRequest(id=id), timeout).task

    def list_tasks(self, *, status: str = "", ready: bool = False, run_id: str = "", timeout: Optional[float] = None) -> List[scheduler_pb2.Task]:
        """Lists tasks in creation order, optionally by status or run."""
        request = scheduler_pb2.ListTasksRequest(status=status, ready=ready, run_id=run_id)
        return list(self.call(self.scheduler.ListTasks, request, timeout).tasks)

    def dispatch(self, task_id: str, to: str, *, timeout: Optional[float] = None) -> scheduler_pb2.DispatchResponse:
        """Dispatches a ready task to an instance chosen from ``to``."""
        return self.call(self.scheduler.Dispatch, scheduler_pb2.DispatchRequest(task_id=task_id, to=to), timeout)

    def start_run(
        self, spec: str, *, format: str = "", max_concurrency: int = 0, target: str = "", timeout: Optional[float] = None  # noqa: A002
    ) -> scheduler_pb2.Run:
        """Starts a coordinator run of a task graph (YAML or JSON) and returns it at once."""
        request = scheduler_pb2.StartRunRequest(spec=spec, format=format, max_concurrency=max_concurrency, target=target)
        return self.call(self.scheduler.StartRun, request, timeout).run

    def get_run(self, id: str, *, timeout: Optional[float] = None) -> scheduler_pb2.Run:  # noqa: A002
        """Returns a run with its task counts."""
        return self.call(self.scheduler.GetRun, scheduler_pb2.GetRunRequest(id=id), timeout).run

    def wait_run(self, id: str, *, timeout: float = 120.0) -> scheduler_pb2.Run:  # noqa: A002
        """Follows a run's progress stream (WatchRun) until its final status (done, failed, stopped)."""
        deadline = time.monotonic() + timeout
        run = self.get_run(id)
        while run.status not in FINAL_RUN_STATUSES:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OrchestratorError(grpc.StatusCode.DEADLINE_EXCEEDED, f"run {id} is still {run.status}")
            try:
                for event in self.scheduler.WatchRun(scheduler_pb2.WatchRunRequest(id=id), timeout=remaining, metadata=self._metadata):
                    run = event.run
                    if run.status in FINAL_RUN_STATUSES:
                        break
            except grpc.RpcError as err:
                raise OrchestratorError.from_rpc_error(err) from None
        return run

    def create_gate(self, task_id: str, question: str, *, options: Iterable[str] = (), timeout: Optional[float] = None) -> scheduler_pb2.Gate:
        """Blocks a task on a decision gate."""
        request = scheduler_pb2.CreateGateRequest(task_id=task_id, question=question, options=list(options))
        return self.call(self.scheduler.CreateGate, request, timeout).gate

    def resolve_gate(self, id: str, resolution: str, *, resolved_by: str = "", timeout: Optional[float] = None) -> scheduler_pb2.Gate:  # noqa: A002
        """Resolves a pending gate; its task becomes ready again."""
        request = scheduler_pb2.ResolveGateRequest(id=id, resolution=resolution, resolved_by=resolved_by)
        return self.call(self.scheduler.ResolveGate, request, timeout).gate

    def list_gates(self, *, task_id: str = "", status: str = "", timeout: Optional[float] = None) -> List[scheduler_pb2.Gate]:
        """Lists gates, newest first."""
        return list(self.call(self.scheduler.ListGates, scheduler_pb2.ListGatesRequest(task_id=task_id, status=status), timeout).gates)

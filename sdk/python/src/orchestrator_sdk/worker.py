"""Turns a Python function into a registered orchestrator instance (the TypeScript worker SDK's twin)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import signal
import threading
from concurrent import futures
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import grpc
from grpc_health.v1 import health_pb2 as grpc_health_pb2
from grpc_health.v1 import health_pb2_grpc as grpc_health_pb2_grpc
from orchestrator.health.v1 import health_pb2, health_pb2_grpc
from orchestrator.worker.v1 import worker_pb2, worker_pb2_grpc

from .errors import OrchestratorError
from .values import JSON, from_value, to_value

log = logging.getLogger("orchestrator_sdk.worker")

WORKER_SERVICE = "orchestrator.worker.v1.WorkerService"
_FATAL = {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.INVALID_ARGUMENT}


class WorkError(Exception):
    """Raise from a handler to answer a gRPC code: UNAVAILABLE and RESOURCE_EXHAUSTED are retried by the router."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class WorkContext:
    """What a handler gets besides the payload."""

    instance: str
    work_id: str
    attempt: int
    session_id: str
    sequence: int
    metadata: Dict[str, str]
    history: List[worker_pb2.SessionEntry]
    grpc_context: grpc.ServicerContext = field(repr=False)

    def cancelled(self) -> bool:
        """True once the caller cancelled or its deadline passed: stop work then."""
        return not self.grpc_context.is_active()

    def time_remaining(self) -> Optional[float]:
        """Seconds left before the caller's deadline (None without one)."""
        return self.grpc_context.time_remaining()


Handler = Callable[[JSON, WorkContext], JSON]
"""Does one unit of work: gets the payload as JSON and answers the result as JSON."""


class _Activity:
    """Counts Execute calls in flight and reports busy/idle when the count crosses zero."""

    def __init__(self, report: Callable[[int], None]) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._report = report

    @property
    def current(self) -> int:
        with self._lock:
            return health_pb2.ACTIVITY_BUSY if self._in_flight > 0 else health_pb2.ACTIVITY_IDLE

    def begin(self) -> None:
        with self._lock:
            self._in_flight += 1
            if self._in_flight == 1:
                self._report(health_pb2.ACTIVITY_BUSY)

    def end(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._report(health_pb2.ACTIVITY_IDLE)


class _WorkerServicer(worker_pb2_grpc.WorkerServiceServicer):
    def __init__(self, name: str, handler: Handler, activity: _Activity) -> None:
        self._name, self._handler, self._activity = name, handler, activity

    def Execute(self, request: worker_pb2.ExecuteRequest, context: grpc.ServicerContext) -> worker_pb2.ExecuteResponse:  # noqa: N802
        self._activity.begin()
        try:
            work = WorkContext(
                self._name, request.work_id, request.attempt, request.session_id, request.sequence,
                dict(request.metadata), list(request.history), context,
            )
            try:
                result = self._handler(from_value(request.payload) if request.HasField("payload") else None, work)
            except WorkError as err:
                context.abort(err.code, err.message)
            except Exception:  # noqa: BLE001 - any handler failure is INTERNAL, logged here, not leaked
                log.exception("handler of %s failed", self._name)
                context.abort(grpc.StatusCode.INTERNAL, "internal error")
            return worker_pb2.ExecuteResponse(result=to_value(result), instance=self._name)
        finally:
            self._activity.end()


class _HealthServicer(grpc_health_pb2_grpc.HealthServicer):
    """grpc.health.v1: SERVING for "" and WorkerService until close; Watch streams changes."""

    def __init__(self) -> None:
        self._status = grpc_health_pb2.HealthCheckResponse.SERVING
        self._changed = threading.Condition()

    def set_not_serving(self) -> None:
        with self._changed:
            self._status = grpc_health_pb2.HealthCheckResponse.NOT_SERVING
            self._changed.notify_all()

    def _status_of(self, service: str) -> Optional[int]:
        return self._status if service in ("", WORKER_SERVICE) else None

    def Check(self, request, context):  # noqa: N802
        status = self._status_of(request.service)
        if status is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"unknown service {request.service}")
        return grpc_health_pb2.HealthCheckResponse(status=status)

    def Watch(self, request, context):  # noqa: N802
        status = self._status_of(request.service)
        if status is None:
            yield grpc_health_pb2.HealthCheckResponse(status=grpc_health_pb2.HealthCheckResponse.SERVICE_UNKNOWN)
            return
        last = None
        while context.is_active():
            with self._changed:
                if self._status == last:
                    self._changed.wait(timeout=1.0)
                current = self._status
            if current != last:
                last = current
                yield grpc_health_pb2.HealthCheckResponse(status=current)
                if current == grpc_health_pb2.HealthCheckResponse.NOT_SERVING:
                    return


class _AuthInterceptor(grpc.ServerInterceptor):
    """Requires ``authorization: Bearer <key>`` on every RPC but grpc.health.v1 (as the control plane's servers do)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._digests = [hashlib.sha256(k.encode()).digest() for k in keys]

        def deny(request, context):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or invalid Authorization: Bearer <key>")

        self._deny = grpc.unary_unary_rpc_method_handler(deny)

    def intercept_service(self, continuation, details):
        if not self._digests or details.method.startswith("/grpc.health.v1.Health/"):
            return continuation(details)
        header = dict(details.invocation_metadata).get("authorization", "")
        given = hashlib.sha256(header[7:].strip().encode()).digest() if header.lower().startswith("bearer ") else b""
        ok = False
        for digest in self._digests:
            ok = hmac.compare_digest(given, digest) or ok
        return continuation(details) if ok else self._deny


class _Registration:
    """RegisterInstance (replace, kind service, probe mode grpc), then a Heartbeat every interval, on one thread.

    Activity reports queue behind it in order. A NOT_FOUND answer (control plane reset) registers again.
    """

    def __init__(self, *, name: str, address: str, pool: str, labels: Dict[str, str], control_plane: str, api_key: str, interval: float, activity: Callable[[], int]) -> None:
        self._name, self._address, self._pool, self._labels = name, address, pool, labels
        self._interval, self._activity = interval, activity
        self._metadata = (("authorization", f"Bearer {api_key}"),) if api_key else ()
        self._channel = grpc.insecure_channel(control_plane)
        self._health = health_pb2_grpc.HealthServiceStub(self._channel)
        self._queue: "queue.Queue[Optional[int]]" = queue.Queue()
        self._stopped = threading.Event()
        self._registered = False
        self._failing = False
        self._thread = threading.Thread(target=self._run, name=f"orchestrator-registration-{name}", daemon=True)

    def _call(self, method, request):
        return method(request, timeout=5.0, metadata=self._metadata)

    def _register(self) -> None:
        request = health_pb2.RegisterInstanceRequest(
            name=self._name, address=self._address, kind=health_pb2.INSTANCE_KIND_SERVICE, pool=self._pool,
            labels=self._labels, probe_mode=health_pb2.PROBE_MODE_GRPC, replace=True,
        )
        self._call(self._health.RegisterInstance, request)
        self._registered = True
        log.info("%s registered with the control plane at %s", self._name, self._address)
        self._send(lambda: self._call(self._health.ReportActivity, health_pb2.ReportActivityRequest(name=self._name, activity=self._activity())))

    def _send(self, call: Callable[[], object]) -> None:
        if not self._registered:
            return
        try:
            call()
            if self._failing:
                log.info("control plane reachable again")
            self._failing = False
        except grpc.RpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND:
                log.warning("control plane does not know %s; registering again", self._name)
                self._registered = False
                self._try_register()
            elif not self._failing and not self._stopped.is_set():
                log.warning("control-plane call failed (%s); retrying", err.code().name)
                self._failing = True

    def _try_register(self) -> None:
        try:
            self._register()
        except grpc.RpcError as err:
            if not self._failing:
                log.warning("registration failed (%s); retrying", err.code().name)
            self._failing = True

    def start(self) -> None:
        """Registers once (raising OrchestratorError on a refused configuration), then heartbeats in the background."""
        try:
            self._register()
        except grpc.RpcError as err:
            if err.code() in _FATAL:
                raise OrchestratorError.from_rpc_error(err) from None
            log.warning("control plane not reachable yet (%s); retrying", err.code().name)
            self._failing = True
        self._thread.start()

    def report(self, activity: int) -> None:
        self._queue.put(activity)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                activity = self._queue.get(timeout=self._interval)
            except queue.Empty:
                if not self._registered:
                    self._try_register()
                else:
                    self._send(lambda: self._call(self._health.Heartbeat, health_pb2.HeartbeatRequest(name=self._name)))
                continue
            if activity is None:
                return
            self._send(lambda: self._call(self._health.ReportActivity, health_pb2.ReportActivityRequest(name=self._name, activity=activity)))

    def stop(self, deregister: bool) -> None:
        """Stops heartbeats; with ``deregister`` removes the instance from the registry (NOT_FOUND counts as done)."""
        self._stopped.set()
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout=5.0)
        if deregister and self._registered:
            try:
                self._call(self._health.DeregisterInstance, health_pb2.DeregisterInstanceRequest(name=self._name))
                log.info("%s deregistered", self._name)
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.NOT_FOUND:
                    log.warning("could not deregister %s (%s)", self._name, err.code().name)
        self._channel.close()


class Worker:
    """A running instance: its gRPC server and its link to the control plane. See :func:`serve_worker`."""

    def __init__(self, name: str, address: str, server: grpc.Server, health: _HealthServicer, registration: Optional[_Registration]) -> None:
        self.name = name
        self.address = address
        self._server = server
        self._health = health
        self._registration = registration
        self._closed = threading.Event()
        self._lock = threading.Lock()

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self, *, deregister: bool = True, grace: float = 5.0) -> None:
        """Turns readiness off, stops heartbeats, deregisters (unless ``deregister=False``), drains calls for ``grace`` seconds. Idempotent."""
        with self._lock:
            if self._closed.is_set():
                return
            self._health.set_not_serving()
            if self._registration:
                self._registration.stop(deregister)
            self._server.stop(grace).wait()
            self._closed.set()

    def serve_forever(self) -> None:
        """Blocks until SIGINT or SIGTERM (then closes, deregistering) or until :meth:`close` is called elsewhere."""
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: threading.Thread(target=self.close, daemon=True).start())
        self._closed.wait()


def serve_worker(
    handler: Handler,
    *,
    name: str,
    control_plane: Optional[str] = None,
    pool: str = "default",
    labels: Optional[Dict[str, str]] = None,
    host: str = "127.0.0.1",
    port: int = 0,
    advertise_address: Optional[str] = None,
    api_key: str = "",
    server_api_keys: Optional[Sequence[str]] = None,
    heartbeat_interval: float = 1.0,
    max_workers: int = 16,
) -> Worker:
    """Serves ``handler`` as an orchestrator instance and returns once it listens and registered.

    Serves orchestrator.worker.v1.WorkerService (Execute runs ``handler(payload, context)``; its
    return value, any JSON, is the result; raise :class:`WorkError` to answer a gRPC code) and
    grpc.health.v1 on ``host:port`` (0 picks a free port). With ``control_plane`` it registers
    there (RegisterInstance, replace, kind service, probe mode grpc, at ``advertise_address`` or the
    bound address), heartbeats every ``heartbeat_interval`` seconds, reports busy while an Execute
    runs and idle when none does, and registers again when the control plane forgets it.
    :meth:`Worker.close` (and the signals :meth:`Worker.serve_forever` handles) deregister it.

    The server accepts ``server_api_keys`` (default: ``[api_key]`` when set: the control plane sends
    its key when it delegates work); grpc.health.v1 needs none. Raises OrchestratorError when the
    control plane refuses the registration (bad key, invalid name).
    """
    keys = list(server_api_keys) if server_api_keys is not None else ([api_key] if api_key else [])
    health = _HealthServicer()
    registration: Optional[_Registration] = None
    activity = _Activity(lambda a: registration.report(a) if registration else None)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers), interceptors=[_AuthInterceptor(keys)])
    worker_pb2_grpc.add_WorkerServiceServicer_to_server(_WorkerServicer(name, handler, activity), server)
    grpc_health_pb2_grpc.add_HealthServicer_to_server(health, server)
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"cannot listen on {host}:{port}")
    server.start()
    address = f"[{host}]:{bound}" if ":" in host else f"{host}:{bound}"
    if control_plane:
        registration = _Registration(
            name=name, address=advertise_address or address, pool=pool, labels=dict(labels or {}), control_plane=control_plane,
            api_key=api_key, interval=heartbeat_interval, activity=lambda: activity.current,
        )
        try:
            registration.start()
        except BaseException:
            server.stop(0)
            raise
    log.info("worker %s serving at %s", name, address)
    return Worker(name, address, server, health, registration)

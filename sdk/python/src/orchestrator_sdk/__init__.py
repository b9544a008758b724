"""Python SDK of the orchestrator control plane.

* :class:`Client`: route, fanout, sessions, health, instances, mailbox (send, check, wait), tasks,
  runs and gates over gRPC, with the API key and a deadline on every call.
* :func:`serve_worker`: turns a Python function into a registered instance.
* :class:`OrchestratorError`: every failure, with the gRPC code, the reason and the field.

The generated modules (``orchestrator.*.v1.*_pb2``, ``grpc_health.v1``) ship alongside.
"""
from .client import Client, FanoutResult, InstanceOutcome, RouteResult
from .errors import OrchestratorError
from .values import from_value, to_value
from .worker import WorkContext, Worker, WorkError, serve_worker

__all__ = [
    "Client",
    "FanoutResult",
    "InstanceOutcome",
    "OrchestratorError",
    "RouteResult",
    "WorkContext",
    "WorkError",
    "Worker",
    "from_value",
    "serve_worker",
    "to_value",
]

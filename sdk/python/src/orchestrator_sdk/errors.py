"""The one exception the SDK raises for a failed call, with the gRPC code, reason and field."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import grpc
from google.rpc import error_details_pb2, status_pb2

_STATUS_DETAILS_KEY = "grpc-status-details-bin"


class OrchestratorError(Exception):
    """A call failed.

    Attributes:
        code: the gRPC status code (``grpc.StatusCode.NOT_FOUND``, ...).
        message: the server's message, e.g. ``instances[0]: instance "Z" not found``.
        reason: the machine-readable reason (google.rpc.ErrorInfo): ``unknown_instance``,
            ``instance_down``, ``invalid_api_key``, ...; empty when the server gave none.
        field: the first request field to blame (google.rpc.BadRequest, else ErrorInfo
            metadata ``field``); empty when no field is.
        violations: every ``(field, description)`` of a google.rpc.BadRequest.
        metadata: the ErrorInfo metadata (``attempts``, ``instance``, ...).
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        reason: str = "",
        field: str = "",
        violations: Optional[List[Tuple[str, str]]] = None,
        metadata: Optional[Dict[str, str]] = None,
    ) -> None:
        super().__init__(f"{code.name}: {message}" + (f" ({reason})" if reason else ""))
        self.code = code
        self.message = message
        self.reason = reason
        self.field = field
        self.violations = violations or []
        self.metadata = metadata or {}

    @property
    def code_name(self) -> str:
        """The code's name: ``NOT_FOUND``, ``INVALID_ARGUMENT``, ..."""
        return self.code.name

    @classmethod
    def from_rpc_error(cls, err: grpc.RpcError) -> "OrchestratorError":
        """Reads code, message and the google.rpc details of a failed grpcio call."""
        code = err.code() if hasattr(err, "code") else grpc.StatusCode.UNKNOWN
        message = err.details() if hasattr(err, "details") else str(err)
        reason, field, violations, metadata = "", "", [], {}
        trailers = err.trailing_metadata() if hasattr(err, "trailing_metadata") else None
        for key, value in trailers or ():
            if key != _STATUS_DETAILS_KEY:
                continue
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR) and not reason:
                    info = error_details_pb2.ErrorInfo()
                    detail.Unpack(info)
                    reason, metadata = info.reason, dict(info.metadata)
                elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                    bad = error_details_pb2.BadRequest()
                    detail.Unpack(bad)
                    violations.extend((v.field, v.description) for v in bad.field_violations)
        field = violations[0][0] if violations else metadata.get("field", "")
        return cls(code or grpc.StatusCode.UNKNOWN, message or "", reason, field, violations, metadata)

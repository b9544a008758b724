"""JSON values to and from google.protobuf.Value, the type of every payload and result."""
from __future__ import annotations

from typing import Any, Optional

from google.protobuf import json_format, struct_pb2

JSON = Any
"""Any JSON value: dict, list, str, int, float, bool or None."""


def to_value(value: JSON) -> struct_pb2.Value:
    """A JSON value as google.protobuf.Value (None is JSON null)."""
    message = struct_pb2.Value()
    json_format.ParseDict(value, message)
    return message


def from_value(value: Optional[struct_pb2.Value]) -> JSON:
    """A google.protobuf.Value as plain JSON; an absent value is None. Whole numbers come back as int."""
    if value is None or value.WhichOneof("kind") is None:
        return None
    return _ints(json_format.MessageToDict(value))


def _ints(value: JSON) -> JSON:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    return value

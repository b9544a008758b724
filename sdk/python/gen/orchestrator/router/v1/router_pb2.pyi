from buf.validate import validate_pb2 as _validate_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from orchestrator.worker.v1 import worker_pb2 as _worker_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
RESULT_STATUS_CANCELLED: ResultStatus
RESULT_STATUS_ERROR: ResultStatus
RESULT_STATUS_OK: ResultStatus
RESULT_STATUS_TIMEOUT: ResultStatus
RESULT_STATUS_UNSPECIFIED: ResultStatus
SESSION_STATE_CLOSED: SessionState
SESSION_STATE_EXPIRED: SessionState
SESSION_STATE_OPEN: SessionState
SESSION_STATE_UNSPECIFIED: SessionState

class Attempt(_message.Message):
    __slots__ = ["code", "instance", "latency", "message", "number"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    code: str
    instance: str
    latency: _duration_pb2.Duration
    message: str
    number: int
    def __init__(self, number: _Optional[int] = ..., instance: _Optional[str] = ..., code: _Optional[str] = ..., message: _Optional[str] = ..., latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CloseSessionRequest(_message.Message):
    __slots__ = ["session_id", "token"]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    token: str
    def __init__(self, session_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class CloseSessionResponse(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ...) -> None: ...

class FanoutRequest(_message.Message):
    __slots__ = ["aggregate", "aggregate_json", "max_attempts", "max_concurrency", "metadata", "payload", "payloads", "quorum", "targets", "timeout", "work_id"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class PayloadsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_JSON_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PAYLOADS_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    QUORUM_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    WORK_ID_FIELD_NUMBER: _ClassVar[int]
    aggregate: str
    aggregate_json: _struct_pb2.Value
    max_attempts: int
    max_concurrency: int
    metadata: _containers.ScalarMap[str, str]
    payload: _struct_pb2.Value
    payloads: _containers.MessageMap[str, _struct_pb2.Value]
    quorum: int
    targets: _containers.RepeatedScalarFieldContainer[str]
    timeout: _duration_pb2.Duration
    work_id: str
    def __init__(self, targets: _Optional[_Iterable[str]] = ..., payload: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., payloads: _Optional[_Mapping[str, _struct_pb2.Value]] = ..., aggregate: _Optional[str] = ..., quorum: _Optional[int] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., max_concurrency: _Optional[int] = ..., max_attempts: _Optional[int] = ..., work_id: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., aggregate_json: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class FanoutResponse(_message.Message):
    __slots__ = ["results", "summary"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[InstanceResult]
    summary: FanoutSummary
    def __init__(self, results: _Optional[_Iterable[_Union[InstanceResult, _Mapping]]] = ..., summary: _Optional[_Union[FanoutSummary, _Mapping]] = ...) -> None: ...

class FanoutStreamRequest(_message.Message):
    __slots__ = ["aggregate", "aggregate_json", "max_attempts", "max_concurrency", "metadata", "payload", "payloads", "quorum", "targets", "timeout", "work_id"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class PayloadsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_JSON_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PAYLOADS_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    QUORUM_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    WORK_ID_FIELD_NUMBER: _ClassVar[int]
    aggregate: str
    aggregate_json: _struct_pb2.Value
    max_attempts: int
    max_concurrency: int
    metadata: _containers.ScalarMap[str, str]
    payload: _struct_pb2.Value
    payloads: _containers.MessageMap[str, _struct_pb2.Value]
    quorum: int
    targets: _containers.RepeatedScalarFieldContainer[str]
    timeout: _duration_pb2.Duration
    work_id: str
    def __init__(self, targets: _Optional[_Iterable[str]] = ..., payload: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., payloads: _Optional[_Mapping[str, _struct_pb2.Value]] = ..., aggregate: _Optional[str] = ..., quorum: _Optional[int] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., max_concurrency: _Optional[int] = ..., max_attempts: _Optional[int] = ..., work_id: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., aggregate_json: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class FanoutStreamResponse(_message.Message):
    __slots__ = ["result", "summary"]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    result: InstanceResult
    summary: FanoutSummary
    def __init__(self, result: _Optional[_Union[InstanceResult, _Mapping]] = ..., summary: _Optional[_Union[FanoutSummary, _Mapping]] = ...) -> None: ...

class FanoutSummary(_message.Message):
    __slots__ = ["aggregate", "failed", "result", "satisfied", "succeeded", "timed_out", "trace_id", "winner", "work_id"]
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SATISFIED_FIELD_NUMBER: _ClassVar[int]
    SUCCEEDED_FIELD_NUMBER: _ClassVar[int]
    TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    WINNER_FIELD_NUMBER: _ClassVar[int]
    WORK_ID_FIELD_NUMBER: _ClassVar[int]
    aggregate: str
    failed: int
    result: _struct_pb2.Value
    satisfied: bool
    succeeded: int
    timed_out: bool
    trace_id: str
    winner: str
    work_id: str
    def __init__(self, aggregate: _Optional[str] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., satisfied: bool = ..., timed_out: bool = ..., succeeded: _Optional[int] = ..., failed: _Optional[int] = ..., trace_id: _Optional[str] = ..., work_id: _Optional[str] = ..., winner: _Optional[str] = ...) -> None: ...

class GetSessionRequest(_message.Message):
    __slots__ = ["history_limit", "include_history", "session_id"]
    HISTORY_LIMIT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_HISTORY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    history_limit: int
    include_history: bool
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., include_history: bool = ..., history_limit: _Optional[int] = ...) -> None: ...

class GetSessionResponse(_message.Message):
    __slots__ = ["history", "session"]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    history: _containers.RepeatedCompositeFieldContainer[_worker_pb2.SessionEntry]
    session: Session
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., history: _Optional[_Iterable[_Union[_worker_pb2.SessionEntry, _Mapping]]] = ...) -> None: ...

class InstanceResult(_message.Message):
    __slots__ = ["attempts", "code", "instance", "latency", "message", "reason", "result", "status"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    attempts: _containers.RepeatedCompositeFieldContainer[Attempt]
    code: str
    instance: str
    latency: _duration_pb2.Duration
    message: str
    reason: str
    result: _struct_pb2.Value
    status: ResultStatus
    def __init__(self, instance: _Optional[str] = ..., status: _Optional[_Union[ResultStatus, str]] = ..., code: _Optional[str] = ..., message: _Optional[str] = ..., reason: _Optional[str] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., attempts: _Optional[_Iterable[_Union[Attempt, _Mapping]]] = ...) -> None: ...

class ListSessionsRequest(_message.Message):
    __slots__ = ["include_closed", "instance", "limit", "page_token", "pool"]
    INCLUDE_CLOSED_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    include_closed: bool
    instance: str
    limit: int
    page_token: str
    pool: str
    def __init__(self, instance: _Optional[str] = ..., pool: _Optional[str] = ..., include_closed: bool = ..., limit: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSessionsResponse(_message.Message):
    __slots__ = ["next_page_token", "sessions"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    sessions: _containers.RepeatedCompositeFieldContainer[Session]
    def __init__(self, sessions: _Optional[_Iterable[_Union[Session, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RouteRequest(_message.Message):
    __slots__ = ["attempt_timeout", "fallback", "instances", "key", "max_attempts", "metadata", "payload", "timeout", "work_id"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTEMPT_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_FIELD_NUMBER: _ClassVar[int]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    WORK_ID_FIELD_NUMBER: _ClassVar[int]
    attempt_timeout: _duration_pb2.Duration
    fallback: str
    instances: _containers.RepeatedScalarFieldContainer[str]
    key: str
    max_attempts: int
    metadata: _containers.ScalarMap[str, str]
    payload: _struct_pb2.Value
    timeout: _duration_pb2.Duration
    work_id: str
    def __init__(self, instances: _Optional[_Iterable[str]] = ..., payload: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., key: _Optional[str] = ..., max_attempts: _Optional[int] = ..., attempt_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., fallback: _Optional[str] = ..., work_id: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ...) -> None: ...

class RouteResponse(_message.Message):
    __slots__ = ["attempts", "instance", "result", "trace_id", "work_id"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    WORK_ID_FIELD_NUMBER: _ClassVar[int]
    attempts: _containers.RepeatedCompositeFieldContainer[Attempt]
    instance: str
    result: _struct_pb2.Value
    trace_id: str
    work_id: str
    def __init__(self, result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., instance: _Optional[str] = ..., attempts: _Optional[_Iterable[_Union[Attempt, _Mapping]]] = ..., trace_id: _Optional[str] = ..., work_id: _Optional[str] = ...) -> None: ...

class SendSessionRequest(_message.Message):
    __slots__ = ["data", "session_id", "timeout", "token"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    data: _struct_pb2.Value
    session_id: str
    timeout: _duration_pb2.Duration
    token: str
    def __init__(self, session_id: _Optional[str] = ..., token: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class SendSessionResponse(_message.Message):
    __slots__ = ["attempts", "failed_over", "instance", "result", "sequence", "session_id", "trace_id"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    FAILED_OVER_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    attempts: _containers.RepeatedCompositeFieldContainer[Attempt]
    failed_over: bool
    instance: str
    result: _struct_pb2.Value
    sequence: int
    session_id: str
    trace_id: str
    def __init__(self, session_id: _Optional[str] = ..., sequence: _Optional[int] = ..., instance: _Optional[str] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., attempts: _Optional[_Iterable[_Union[Attempt, _Mapping]]] = ..., failed_over: bool = ..., trace_id: _Optional[str] = ...) -> None: ...

class Session(_message.Message):
    __slots__ = ["closed_at", "created_at", "expires_at", "failovers", "instance", "instances", "last_activity_at", "last_sequence", "metadata", "pool", "session_id", "state", "ttl"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FAILOVERS_FIELD_NUMBER: _ClassVar[int]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    LAST_ACTIVITY_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    closed_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    failovers: int
    instance: str
    instances: _containers.RepeatedScalarFieldContainer[str]
    last_activity_at: _timestamp_pb2.Timestamp
    last_sequence: int
    metadata: _containers.ScalarMap[str, str]
    pool: str
    session_id: str
    state: SessionState
    ttl: _duration_pb2.Duration
    def __init__(self, session_id: _Optional[str] = ..., instance: _Optional[str] = ..., pool: _Optional[str] = ..., state: _Optional[_Union[SessionState, str]] = ..., last_sequence: _Optional[int] = ..., metadata: _Optional[_Mapping[str, str]] = ..., ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_activity_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., instances: _Optional[_Iterable[str]] = ..., failovers: _Optional[int] = ...) -> None: ...

class SpawnSessionRequest(_message.Message):
    __slots__ = ["instances", "metadata", "pool", "session_id", "ttl"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedScalarFieldContainer[str]
    metadata: _containers.ScalarMap[str, str]
    pool: str
    session_id: str
    ttl: _duration_pb2.Duration
    def __init__(self, session_id: _Optional[str] = ..., instances: _Optional[_Iterable[str]] = ..., pool: _Optional[str] = ..., ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., metadata: _Optional[_Mapping[str, str]] = ...) -> None: ...

class SpawnSessionResponse(_message.Message):
    __slots__ = ["session", "token"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    session: Session
    token: str
    def __init__(self, session: _Optional[_Union[Session, _Mapping]] = ..., token: _Optional[str] = ...) -> None: ...

class ResultStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SessionState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

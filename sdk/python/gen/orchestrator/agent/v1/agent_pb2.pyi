from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetAgentStatusRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetAgentStatusResponse(_message.Message):
    __slots__ = ["activity", "command", "dispatch_id", "name", "pool", "queued", "run_started_at", "runs_completed", "runs_failed", "started_at", "task_id", "workdir"]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    DISPATCH_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    RUNS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RUNS_FAILED_FIELD_NUMBER: _ClassVar[int]
    RUN_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    WORKDIR_FIELD_NUMBER: _ClassVar[int]
    activity: str
    command: _containers.RepeatedScalarFieldContainer[str]
    dispatch_id: str
    name: str
    pool: str
    queued: int
    run_started_at: _timestamp_pb2.Timestamp
    runs_completed: int
    runs_failed: int
    started_at: _timestamp_pb2.Timestamp
    task_id: str
    workdir: str
    def __init__(self, name: _Optional[str] = ..., pool: _Optional[str] = ..., activity: _Optional[str] = ..., task_id: _Optional[str] = ..., dispatch_id: _Optional[str] = ..., queued: _Optional[int] = ..., runs_completed: _Optional[int] = ..., runs_failed: _Optional[int] = ..., command: _Optional[_Iterable[str]] = ..., workdir: _Optional[str] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., run_started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OutputLine(_message.Message):
    __slots__ = ["at", "seq", "stream", "task_id", "text"]
    AT_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    STREAM_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    seq: int
    stream: str
    task_id: str
    text: str
    def __init__(self, seq: _Optional[int] = ..., stream: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., task_id: _Optional[str] = ...) -> None: ...

class TailOutputRequest(_message.Message):
    __slots__ = ["follow", "lines"]
    FOLLOW_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    follow: bool
    lines: int
    def __init__(self, lines: _Optional[int] = ..., follow: bool = ...) -> None: ...

class TailOutputResponse(_message.Message):
    __slots__ = ["lines"]
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[OutputLine]
    def __init__(self, lines: _Optional[_Iterable[_Union[OutputLine, _Mapping]]] = ...) -> None: ...

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CloseTerminalRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class CloseTerminalResponse(_message.Message):
    __slots__ = ["terminal"]
    TERMINAL_FIELD_NUMBER: _ClassVar[int]
    terminal: Terminal
    def __init__(self, terminal: _Optional[_Union[Terminal, _Mapping]] = ...) -> None: ...

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

class GetTerminalRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetTerminalResponse(_message.Message):
    __slots__ = ["terminal"]
    TERMINAL_FIELD_NUMBER: _ClassVar[int]
    terminal: Terminal
    def __init__(self, terminal: _Optional[_Union[Terminal, _Mapping]] = ...) -> None: ...

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

class ReadTerminalRequest(_message.Message):
    __slots__ = ["lines"]
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: int
    def __init__(self, lines: _Optional[int] = ...) -> None: ...

class ReadTerminalResponse(_message.Message):
    __slots__ = ["lines", "terminal"]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TERMINAL_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedScalarFieldContainer[str]
    terminal: Terminal
    def __init__(self, terminal: _Optional[_Union[Terminal, _Mapping]] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class SendInputRequest(_message.Message):
    __slots__ = ["enter", "text"]
    ENTER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    enter: bool
    text: str
    def __init__(self, text: _Optional[str] = ..., enter: bool = ...) -> None: ...

class SendInputResponse(_message.Message):
    __slots__ = ["bytes", "terminal"]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    TERMINAL_FIELD_NUMBER: _ClassVar[int]
    bytes: int
    terminal: Terminal
    def __init__(self, terminal: _Optional[_Union[Terminal, _Mapping]] = ..., bytes: _Optional[int] = ...) -> None: ...

class StopTerminalRequest(_message.Message):
    __slots__ = ["grace_ms"]
    GRACE_MS_FIELD_NUMBER: _ClassVar[int]
    grace_ms: int
    def __init__(self, grace_ms: _Optional[int] = ...) -> None: ...

class StopTerminalResponse(_message.Message):
    __slots__ = ["terminal"]
    TERMINAL_FIELD_NUMBER: _ClassVar[int]
    terminal: Terminal
    def __init__(self, terminal: _Optional[_Union[Terminal, _Mapping]] = ...) -> None: ...

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

class Terminal(_message.Message):
    __slots__ = ["agent", "command", "direction", "exit_code", "exited_at", "host_pid", "idle", "last_output_at", "lines", "name", "pid", "split_from", "started_at", "status", "title", "workdir", "worktree"]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    EXITED_AT_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    HOST_PID_FIELD_NUMBER: _ClassVar[int]
    IDLE_FIELD_NUMBER: _ClassVar[int]
    LAST_OUTPUT_AT_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    SPLIT_FROM_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    WORKDIR_FIELD_NUMBER: _ClassVar[int]
    WORKTREE_FIELD_NUMBER: _ClassVar[int]
    agent: str
    command: str
    direction: str
    exit_code: int
    exited_at: _timestamp_pb2.Timestamp
    host_pid: int
    idle: bool
    last_output_at: _timestamp_pb2.Timestamp
    lines: int
    name: str
    pid: int
    split_from: str
    started_at: _timestamp_pb2.Timestamp
    status: str
    title: str
    workdir: str
    worktree: str
    def __init__(self, name: _Optional[str] = ..., title: _Optional[str] = ..., command: _Optional[str] = ..., worktree: _Optional[str] = ..., workdir: _Optional[str] = ..., status: _Optional[str] = ..., agent: _Optional[str] = ..., pid: _Optional[int] = ..., host_pid: _Optional[int] = ..., exit_code: _Optional[int] = ..., idle: bool = ..., split_from: _Optional[str] = ..., direction: _Optional[str] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., exited_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_output_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., lines: _Optional[int] = ...) -> None: ...

class WaitTerminalRequest(_message.Message):
    __slots__ = ["quiet_ms", "timeout_ms"]
    FOR_FIELD_NUMBER: _ClassVar[int]
    QUIET_MS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    quiet_ms: int
    timeout_ms: int
    def __init__(self, timeout_ms: _Optional[int] = ..., quiet_ms: _Optional[int] = ..., **kwargs) -> None: ...

class WaitTerminalResponse(_message.Message):
    __slots__ = ["outcome", "terminal", "waited_ms"]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    TERMINAL_FIELD_NUMBER: _ClassVar[int]
    WAITED_MS_FIELD_NUMBER: _ClassVar[int]
    outcome: str
    terminal: Terminal
    waited_ms: int
    def __init__(self, outcome: _Optional[str] = ..., terminal: _Optional[_Union[Terminal, _Mapping]] = ..., waited_ms: _Optional[int] = ...) -> None: ...

from buf.validate import validate_pb2 as _validate_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateGateRequest(_message.Message):
    __slots__ = ["deadline", "default_option", "notify", "options", "question", "task_id", "timeout"]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_OPTION_FIELD_NUMBER: _ClassVar[int]
    NOTIFY_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    deadline: _timestamp_pb2.Timestamp
    default_option: str
    notify: str
    options: _containers.RepeatedScalarFieldContainer[str]
    question: str
    task_id: str
    timeout: _duration_pb2.Duration
    def __init__(self, task_id: _Optional[str] = ..., question: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., default_option: _Optional[str] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., notify: _Optional[str] = ...) -> None: ...

class CreateGateResponse(_message.Message):
    __slots__ = ["gate", "task"]
    GATE_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    gate: Gate
    task: Task
    def __init__(self, gate: _Optional[_Union[Gate, _Mapping]] = ..., task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class CreateTaskRequest(_message.Message):
    __slots__ = ["deps", "id", "max_attempts", "parent_id", "payload", "priority", "spec", "target", "timeout"]
    DEPS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    deps: _containers.RepeatedScalarFieldContainer[str]
    id: str
    max_attempts: int
    parent_id: str
    payload: _struct_pb2.Value
    priority: int
    spec: str
    target: str
    timeout: _duration_pb2.Duration
    def __init__(self, id: _Optional[str] = ..., spec: _Optional[str] = ..., deps: _Optional[_Iterable[str]] = ..., parent_id: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., target: _Optional[str] = ..., max_attempts: _Optional[int] = ..., priority: _Optional[int] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CreateTaskResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class CreateTasksRequest(_message.Message):
    __slots__ = ["tasks"]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[CreateTaskRequest]
    def __init__(self, tasks: _Optional[_Iterable[_Union[CreateTaskRequest, _Mapping]]] = ...) -> None: ...

class CreateTasksResponse(_message.Message):
    __slots__ = ["tasks"]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[Task]
    def __init__(self, tasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ...) -> None: ...

class DispatchContext(_message.Message):
    __slots__ = ["attempt", "consecutive_failures", "deadline_at", "dispatched_at", "error", "finished_at", "id", "instance", "kind", "message_id", "owner", "preamble", "reply_to", "result", "run_id", "status", "target", "task_id", "trace_id"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    CONSECUTIVE_FAILURES_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_AT_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    PREAMBLE_FIELD_NUMBER: _ClassVar[int]
    REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    consecutive_failures: int
    deadline_at: _timestamp_pb2.Timestamp
    dispatched_at: _timestamp_pb2.Timestamp
    error: str
    finished_at: _timestamp_pb2.Timestamp
    id: str
    instance: str
    kind: str
    message_id: str
    owner: str
    preamble: str
    reply_to: str
    result: _struct_pb2.Value
    run_id: str
    status: str
    target: str
    task_id: str
    trace_id: str
    def __init__(self, id: _Optional[str] = ..., task_id: _Optional[str] = ..., attempt: _Optional[int] = ..., target: _Optional[str] = ..., instance: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., consecutive_failures: _Optional[int] = ..., preamble: _Optional[str] = ..., reply_to: _Optional[str] = ..., owner: _Optional[str] = ..., message_id: _Optional[str] = ..., trace_id: _Optional[str] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error: _Optional[str] = ..., run_id: _Optional[str] = ..., dispatched_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., deadline_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DispatchRequest(_message.Message):
    __slots__ = ["command", "inject", "pool", "task_id", "to", "wait", "wait_timeout"]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    INJECT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    WAIT_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    command: str
    inject: bool
    pool: str
    task_id: str
    to: str
    wait: bool
    wait_timeout: _duration_pb2.Duration
    def __init__(self, task_id: _Optional[str] = ..., to: _Optional[str] = ..., inject: bool = ..., pool: _Optional[str] = ..., command: _Optional[str] = ..., wait: bool = ..., wait_timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., **kwargs) -> None: ...

class DispatchResponse(_message.Message):
    __slots__ = ["dispatch", "provisioned", "task"]
    DISPATCH_FIELD_NUMBER: _ClassVar[int]
    PROVISIONED_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    dispatch: DispatchContext
    provisioned: bool
    task: Task
    def __init__(self, dispatch: _Optional[_Union[DispatchContext, _Mapping]] = ..., task: _Optional[_Union[Task, _Mapping]] = ..., provisioned: bool = ...) -> None: ...

class Gate(_message.Message):
    __slots__ = ["created_at", "deadline", "default_option", "id", "message_id", "notify", "options", "question", "resolution", "resolved_at", "resolved_by", "source", "status", "task_id"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_OPTION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    NOTIFY_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    deadline: _timestamp_pb2.Timestamp
    default_option: str
    id: str
    message_id: str
    notify: str
    options: _containers.RepeatedScalarFieldContainer[str]
    question: str
    resolution: str
    resolved_at: _timestamp_pb2.Timestamp
    resolved_by: str
    source: str
    status: str
    task_id: str
    def __init__(self, id: _Optional[str] = ..., task_id: _Optional[str] = ..., question: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., default_option: _Optional[str] = ..., deadline: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., resolution: _Optional[str] = ..., resolved_by: _Optional[str] = ..., notify: _Optional[str] = ..., message_id: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[str] = ...) -> None: ...

class GetDispatchRequest(_message.Message):
    __slots__ = ["task_id"]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class GetDispatchResponse(_message.Message):
    __slots__ = ["current", "history"]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    current: DispatchContext
    history: _containers.RepeatedCompositeFieldContainer[DispatchContext]
    def __init__(self, current: _Optional[_Union[DispatchContext, _Mapping]] = ..., history: _Optional[_Iterable[_Union[DispatchContext, _Mapping]]] = ...) -> None: ...

class GetRunRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetRunResponse(_message.Message):
    __slots__ = ["run", "running"]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: Run
    running: _containers.RepeatedCompositeFieldContainer[RunningTask]
    def __init__(self, run: _Optional[_Union[Run, _Mapping]] = ..., running: _Optional[_Iterable[_Union[RunningTask, _Mapping]]] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetTaskResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class ListGatesRequest(_message.Message):
    __slots__ = ["limit", "status", "task_id"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    limit: int
    status: str
    task_id: str
    def __init__(self, task_id: _Optional[str] = ..., status: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListGatesResponse(_message.Message):
    __slots__ = ["gates"]
    GATES_FIELD_NUMBER: _ClassVar[int]
    gates: _containers.RepeatedCompositeFieldContainer[Gate]
    def __init__(self, gates: _Optional[_Iterable[_Union[Gate, _Mapping]]] = ...) -> None: ...

class ListRunsRequest(_message.Message):
    __slots__ = ["limit", "status"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    limit: int
    status: str
    def __init__(self, status: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListRunsResponse(_message.Message):
    __slots__ = ["runs"]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[Run]
    def __init__(self, runs: _Optional[_Iterable[_Union[Run, _Mapping]]] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ["limit", "page_token", "parent_id", "ready", "run_id", "status"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    limit: int
    page_token: str
    parent_id: str
    ready: bool
    run_id: str
    status: str
    def __init__(self, status: _Optional[str] = ..., ready: bool = ..., run_id: _Optional[str] = ..., parent_id: _Optional[str] = ..., limit: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ["next_page_token", "tasks"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    tasks: _containers.RepeatedCompositeFieldContainer[Task]
    def __init__(self, tasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ResetRequest(_message.Message):
    __slots__ = ["all", "messages", "tasks"]
    ALL_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    all: bool
    messages: bool
    tasks: bool
    def __init__(self, tasks: bool = ..., messages: bool = ..., all: bool = ...) -> None: ...

class ResetResponse(_message.Message):
    __slots__ = ["dispatches", "gates", "messages", "runs", "tasks"]
    DISPATCHES_FIELD_NUMBER: _ClassVar[int]
    GATES_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    dispatches: int
    gates: int
    messages: int
    runs: int
    tasks: int
    def __init__(self, tasks: _Optional[int] = ..., dispatches: _Optional[int] = ..., gates: _Optional[int] = ..., runs: _Optional[int] = ..., messages: _Optional[int] = ...) -> None: ...

class ResolveGateRequest(_message.Message):
    __slots__ = ["id", "resolution", "resolved_by"]
    ID_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    resolution: str
    resolved_by: str
    def __init__(self, id: _Optional[str] = ..., resolution: _Optional[str] = ..., resolved_by: _Optional[str] = ...) -> None: ...

class ResolveGateResponse(_message.Message):
    __slots__ = ["gate", "task"]
    GATE_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    gate: Gate
    task: Task
    def __init__(self, gate: _Optional[_Union[Gate, _Mapping]] = ..., task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class Run(_message.Message):
    __slots__ = ["coordinator", "counts", "created_at", "error", "finished_at", "id", "lease_expires_at", "max_concurrency", "owner", "result", "spec", "spec_format", "status", "takeovers", "target", "updated_at"]
    COORDINATOR_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    SPEC_FORMAT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TAKEOVERS_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    coordinator: str
    counts: TaskCounts
    created_at: _timestamp_pb2.Timestamp
    error: str
    finished_at: _timestamp_pb2.Timestamp
    id: str
    lease_expires_at: _timestamp_pb2.Timestamp
    max_concurrency: int
    owner: str
    result: _struct_pb2.Value
    spec: str
    spec_format: str
    status: str
    takeovers: int
    target: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., spec: _Optional[str] = ..., spec_format: _Optional[str] = ..., max_concurrency: _Optional[int] = ..., target: _Optional[str] = ..., counts: _Optional[_Union[TaskCounts, _Mapping]] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error: _Optional[str] = ..., owner: _Optional[str] = ..., lease_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., takeovers: _Optional[int] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., coordinator: _Optional[str] = ...) -> None: ...

class RunningTask(_message.Message):
    __slots__ = ["attempt", "dispatched_at", "instance", "key", "task_id"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    dispatched_at: _timestamp_pb2.Timestamp
    instance: str
    key: str
    task_id: str
    def __init__(self, task_id: _Optional[str] = ..., key: _Optional[str] = ..., instance: _Optional[str] = ..., attempt: _Optional[int] = ..., dispatched_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StartRunRequest(_message.Message):
    __slots__ = ["format", "max_concurrency", "spec", "target"]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    format: str
    max_concurrency: int
    spec: str
    target: str
    def __init__(self, spec: _Optional[str] = ..., format: _Optional[str] = ..., max_concurrency: _Optional[int] = ..., target: _Optional[str] = ..., **kwargs) -> None: ...

class StartRunResponse(_message.Message):
    __slots__ = ["run"]
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: Run
    def __init__(self, run: _Optional[_Union[Run, _Mapping]] = ...) -> None: ...

class StopRunRequest(_message.Message):
    __slots__ = ["id", "reason"]
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StopRunResponse(_message.Message):
    __slots__ = ["run"]
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: Run
    def __init__(self, run: _Optional[_Union[Run, _Mapping]] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ["attempts", "created_at", "deps", "error", "failed_dependency", "failure_reason", "finished_at", "id", "key", "max_attempts", "parent_id", "payload", "pending_deps", "priority", "result", "run_id", "spec", "status", "target", "timeout", "updated_at"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DEPS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FAILED_DEPENDENCY_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PENDING_DEPS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    attempts: int
    created_at: _timestamp_pb2.Timestamp
    deps: _containers.RepeatedScalarFieldContainer[str]
    error: str
    failed_dependency: str
    failure_reason: str
    finished_at: _timestamp_pb2.Timestamp
    id: str
    key: str
    max_attempts: int
    parent_id: str
    payload: _struct_pb2.Value
    pending_deps: int
    priority: int
    result: _struct_pb2.Value
    run_id: str
    spec: str
    status: str
    target: str
    timeout: _duration_pb2.Duration
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., spec: _Optional[str] = ..., deps: _Optional[_Iterable[str]] = ..., parent_id: _Optional[str] = ..., payload: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., target: _Optional[str] = ..., status: _Optional[str] = ..., priority: _Optional[int] = ..., max_attempts: _Optional[int] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error: _Optional[str] = ..., failure_reason: _Optional[str] = ..., failed_dependency: _Optional[str] = ..., attempts: _Optional[int] = ..., pending_deps: _Optional[int] = ..., run_id: _Optional[str] = ..., key: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskCounts(_message.Message):
    __slots__ = ["blocked", "completed", "dispatched", "failed", "pending", "ready", "total"]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    DISPATCHED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    blocked: int
    completed: int
    dispatched: int
    failed: int
    pending: int
    ready: int
    total: int
    def __init__(self, pending: _Optional[int] = ..., ready: _Optional[int] = ..., dispatched: _Optional[int] = ..., completed: _Optional[int] = ..., failed: _Optional[int] = ..., blocked: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class UpdateTaskRequest(_message.Message):
    __slots__ = ["error", "id", "result", "status"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    error: str
    id: str
    result: _struct_pb2.Value
    status: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., result: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...

class UpdateTaskResponse(_message.Message):
    __slots__ = ["affected", "task"]
    AFFECTED_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    affected: _containers.RepeatedScalarFieldContainer[str]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ..., affected: _Optional[_Iterable[str]] = ...) -> None: ...

class WatchRunRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WatchRunResponse(_message.Message):
    __slots__ = ["event", "run", "running"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    event: str
    run: Run
    running: _containers.RepeatedCompositeFieldContainer[RunningTask]
    def __init__(self, event: _Optional[str] = ..., run: _Optional[_Union[Run, _Mapping]] = ..., running: _Optional[_Iterable[_Union[RunningTask, _Mapping]]] = ...) -> None: ...

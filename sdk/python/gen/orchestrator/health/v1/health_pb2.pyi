from buf.validate import validate_pb2 as _validate_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACTIVITY_BUSY: Activity
ACTIVITY_COMPLETED: Activity
ACTIVITY_ERROR: Activity
ACTIVITY_IDLE: Activity
ACTIVITY_RUNNING: Activity
ACTIVITY_UNSPECIFIED: Activity
ACTIVITY_WAITING: Activity
DESCRIPTOR: _descriptor.FileDescriptor
HEALTH_STATE_DEGRADED: HealthState
HEALTH_STATE_DOWN: HealthState
HEALTH_STATE_HEALTHY: HealthState
HEALTH_STATE_UNKNOWN: HealthState
HEALTH_STATE_UNSPECIFIED: HealthState
INSTANCE_KIND_AGENT: InstanceKind
INSTANCE_KIND_SERVICE: InstanceKind
INSTANCE_KIND_UNSPECIFIED: InstanceKind
PROBE_MODE_GRPC: ProbeMode
PROBE_MODE_HEARTBEAT: ProbeMode
PROBE_MODE_UNSPECIFIED: ProbeMode

class ActivityTransition(_message.Message):
    __slots__ = ["at", "detail", "name", "to"]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    detail: str
    name: str
    to: Activity
    def __init__(self, name: _Optional[str] = ..., to: _Optional[_Union[Activity, str]] = ..., detail: _Optional[str] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class AllocateInstanceRequest(_message.Message):
    __slots__ = ["holder", "no_provision", "pool", "timeout", "wait"]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    NO_PROVISION_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    holder: str
    no_provision: bool
    pool: str
    timeout: _duration_pb2.Duration
    wait: bool
    def __init__(self, pool: _Optional[str] = ..., holder: _Optional[str] = ..., wait: bool = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., no_provision: bool = ...) -> None: ...

class AllocateInstanceResponse(_message.Message):
    __slots__ = ["instance", "provisioned"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    PROVISIONED_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    provisioned: bool
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ..., provisioned: bool = ...) -> None: ...

class ApplyPoolsRequest(_message.Message):
    __slots__ = ["base_dir", "document"]
    BASE_DIR_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    base_dir: str
    document: str
    def __init__(self, document: _Optional[str] = ..., base_dir: _Optional[str] = ...) -> None: ...

class ApplyPoolsResponse(_message.Message):
    __slots__ = ["pools"]
    POOLS_FIELD_NUMBER: _ClassVar[int]
    pools: _containers.RepeatedCompositeFieldContainer[Pool]
    def __init__(self, pools: _Optional[_Iterable[_Union[Pool, _Mapping]]] = ...) -> None: ...

class CheckHealthRequest(_message.Message):
    __slots__ = ["instances"]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, instances: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckHealthResponse(_message.Message):
    __slots__ = ["statuses"]
    class StatusesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.ScalarMap[str, str]
    def __init__(self, statuses: _Optional[_Mapping[str, str]] = ...) -> None: ...

class DeregisterInstanceRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeregisterInstanceResponse(_message.Message):
    __slots__ = ["instance"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ...) -> None: ...

class GetActivityHistoryRequest(_message.Message):
    __slots__ = ["limit", "name"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    limit: int
    name: str
    def __init__(self, name: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class GetActivityHistoryResponse(_message.Message):
    __slots__ = ["transitions"]
    TRANSITIONS_FIELD_NUMBER: _ClassVar[int]
    transitions: _containers.RepeatedCompositeFieldContainer[ActivityTransition]
    def __init__(self, transitions: _Optional[_Iterable[_Union[ActivityTransition, _Mapping]]] = ...) -> None: ...

class GetHealthHistoryRequest(_message.Message):
    __slots__ = ["limit", "name"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    limit: int
    name: str
    def __init__(self, name: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class GetHealthHistoryResponse(_message.Message):
    __slots__ = ["transitions"]
    TRANSITIONS_FIELD_NUMBER: _ClassVar[int]
    transitions: _containers.RepeatedCompositeFieldContainer[HealthTransition]
    def __init__(self, transitions: _Optional[_Iterable[_Union[HealthTransition, _Mapping]]] = ...) -> None: ...

class GetInstanceRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetInstanceResponse(_message.Message):
    __slots__ = ["instance"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ...) -> None: ...

class HealthTransition(_message.Message):
    __slots__ = ["at", "name", "reason", "to"]
    AT_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    name: str
    reason: str
    to: HealthState
    def __init__(self, name: _Optional[str] = ..., to: _Optional[_Union[HealthState, str]] = ..., reason: _Optional[str] = ..., at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class HeartbeatRequest(_message.Message):
    __slots__ = ["activity", "name"]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    name: str
    def __init__(self, name: _Optional[str] = ..., activity: _Optional[_Union[Activity, str]] = ...) -> None: ...

class HeartbeatResponse(_message.Message):
    __slots__ = ["instance"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ...) -> None: ...

class Instance(_message.Message):
    __slots__ = ["activity", "activity_detail", "address", "allocated_at", "allocated_to", "health", "health_changed_at", "kind", "labels", "last_heartbeat_at", "name", "pool", "probe_mode", "registered_at"]
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ACTIVITY_DETAIL_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ALLOCATED_AT_FIELD_NUMBER: _ClassVar[int]
    ALLOCATED_TO_FIELD_NUMBER: _ClassVar[int]
    HEALTH_CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    HEALTH_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    LAST_HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    PROBE_MODE_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    activity_detail: str
    address: str
    allocated_at: _timestamp_pb2.Timestamp
    allocated_to: str
    health: HealthState
    health_changed_at: _timestamp_pb2.Timestamp
    kind: InstanceKind
    labels: _containers.ScalarMap[str, str]
    last_heartbeat_at: _timestamp_pb2.Timestamp
    name: str
    pool: str
    probe_mode: ProbeMode
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., address: _Optional[str] = ..., kind: _Optional[_Union[InstanceKind, str]] = ..., pool: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., health: _Optional[_Union[HealthState, str]] = ..., activity: _Optional[_Union[Activity, str]] = ..., probe_mode: _Optional[_Union[ProbeMode, str]] = ..., allocated_to: _Optional[str] = ..., registered_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_heartbeat_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., health_changed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., allocated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., activity_detail: _Optional[str] = ...) -> None: ...

class ListInstancesRequest(_message.Message):
    __slots__ = ["selectors"]
    SELECTORS_FIELD_NUMBER: _ClassVar[int]
    selectors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, selectors: _Optional[_Iterable[str]] = ...) -> None: ...

class ListInstancesResponse(_message.Message):
    __slots__ = ["instances"]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[Instance]
    def __init__(self, instances: _Optional[_Iterable[_Union[Instance, _Mapping]]] = ...) -> None: ...

class ListPoolsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListPoolsResponse(_message.Message):
    __slots__ = ["pools"]
    POOLS_FIELD_NUMBER: _ClassVar[int]
    pools: _containers.RepeatedCompositeFieldContainer[Pool]
    def __init__(self, pools: _Optional[_Iterable[_Union[Pool, _Mapping]]] = ...) -> None: ...

class Pool(_message.Message):
    __slots__ = ["command", "idle_shutdown", "max", "members", "min", "name", "provisioner", "provisioning", "repo", "source"]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    IDLE_SHUTDOWN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROVISIONER_FIELD_NUMBER: _ClassVar[int]
    PROVISIONING_FIELD_NUMBER: _ClassVar[int]
    REPO_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    command: _containers.RepeatedScalarFieldContainer[str]
    idle_shutdown: _duration_pb2.Duration
    max: int
    members: _containers.RepeatedCompositeFieldContainer[Instance]
    min: int
    name: str
    provisioner: str
    provisioning: _containers.RepeatedScalarFieldContainer[str]
    repo: str
    source: str
    def __init__(self, name: _Optional[str] = ..., provisioner: _Optional[str] = ..., repo: _Optional[str] = ..., min: _Optional[int] = ..., max: _Optional[int] = ..., idle_shutdown: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., members: _Optional[_Iterable[_Union[Instance, _Mapping]]] = ..., provisioning: _Optional[_Iterable[str]] = ..., source: _Optional[str] = ..., command: _Optional[_Iterable[str]] = ...) -> None: ...

class RegisterInstanceRequest(_message.Message):
    __slots__ = ["address", "kind", "labels", "name", "pool", "probe_mode", "replace"]
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    PROBE_MODE_FIELD_NUMBER: _ClassVar[int]
    REPLACE_FIELD_NUMBER: _ClassVar[int]
    address: str
    kind: InstanceKind
    labels: _containers.ScalarMap[str, str]
    name: str
    pool: str
    probe_mode: ProbeMode
    replace: bool
    def __init__(self, name: _Optional[str] = ..., address: _Optional[str] = ..., kind: _Optional[_Union[InstanceKind, str]] = ..., pool: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., probe_mode: _Optional[_Union[ProbeMode, str]] = ..., replace: bool = ...) -> None: ...

class RegisterInstanceResponse(_message.Message):
    __slots__ = ["instance"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ...) -> None: ...

class ReleaseInstanceRequest(_message.Message):
    __slots__ = ["holder", "name"]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    holder: str
    name: str
    def __init__(self, name: _Optional[str] = ..., holder: _Optional[str] = ...) -> None: ...

class ReleaseInstanceResponse(_message.Message):
    __slots__ = ["instance"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ...) -> None: ...

class ReportActivityRequest(_message.Message):
    __slots__ = ["activity", "detail", "name"]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    activity: Activity
    detail: str
    name: str
    def __init__(self, name: _Optional[str] = ..., activity: _Optional[_Union[Activity, str]] = ..., detail: _Optional[str] = ...) -> None: ...

class ReportActivityResponse(_message.Message):
    __slots__ = ["instance"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ...) -> None: ...

class WatchHealthRequest(_message.Message):
    __slots__ = ["instances"]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, instances: _Optional[_Iterable[str]] = ...) -> None: ...

class WatchHealthResponse(_message.Message):
    __slots__ = ["instance", "previous_health", "removed", "snapshot"]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_HEALTH_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    instance: Instance
    previous_health: HealthState
    removed: bool
    snapshot: bool
    def __init__(self, instance: _Optional[_Union[Instance, _Mapping]] = ..., previous_health: _Optional[_Union[HealthState, str]] = ..., snapshot: bool = ..., removed: bool = ...) -> None: ...

class InstanceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class HealthState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Activity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ProbeMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

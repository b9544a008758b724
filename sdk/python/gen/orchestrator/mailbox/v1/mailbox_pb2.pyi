from buf.validate import validate_pb2 as _validate_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CheckRequest(_message.Message):
    __slots__ = ["handle", "limit", "mark_read", "timeout_ms", "types", "unread_only", "wait"]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    MARK_READ_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    UNREAD_ONLY_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    handle: str
    limit: int
    mark_read: bool
    timeout_ms: int
    types: _containers.RepeatedScalarFieldContainer[str]
    unread_only: bool
    wait: bool
    def __init__(self, handle: _Optional[str] = ..., unread_only: bool = ..., types: _Optional[_Iterable[str]] = ..., limit: _Optional[int] = ..., mark_read: bool = ..., wait: bool = ..., timeout_ms: _Optional[int] = ...) -> None: ...

class CheckResponse(_message.Message):
    __slots__ = ["messages", "timed_out"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    timed_out: bool
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., timed_out: bool = ...) -> None: ...

class InboxRequest(_message.Message):
    __slots__ = ["handle", "limit", "page_token", "unread_only"]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    UNREAD_ONLY_FIELD_NUMBER: _ClassVar[int]
    handle: str
    limit: int
    page_token: str
    unread_only: bool
    def __init__(self, handle: _Optional[str] = ..., limit: _Optional[int] = ..., page_token: _Optional[str] = ..., unread_only: bool = ...) -> None: ...

class InboxResponse(_message.Message):
    __slots__ = ["messages", "next_page_token", "unread_count"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    UNREAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    next_page_token: str
    unread_count: int
    def __init__(self, messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., unread_count: _Optional[int] = ...) -> None: ...

class MarkReadRequest(_message.Message):
    __slots__ = ["handle", "ids"]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    handle: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ..., handle: _Optional[str] = ...) -> None: ...

class MarkReadResponse(_message.Message):
    __slots__ = ["marked"]
    MARKED_FIELD_NUMBER: _ClassVar[int]
    marked: int
    def __init__(self, marked: _Optional[int] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ["body", "created_at", "id", "in_reply_to", "payload", "priority", "read", "read_at", "sent_to", "seq", "subject", "thread_id", "to", "type"]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IN_REPLY_TO_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    READ_AT_FIELD_NUMBER: _ClassVar[int]
    READ_FIELD_NUMBER: _ClassVar[int]
    SENT_TO_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    body: str
    created_at: _timestamp_pb2.Timestamp
    id: str
    in_reply_to: str
    payload: str
    priority: str
    read: bool
    read_at: _timestamp_pb2.Timestamp
    sent_to: str
    seq: int
    subject: str
    thread_id: str
    to: str
    type: str
    def __init__(self, id: _Optional[str] = ..., seq: _Optional[int] = ..., thread_id: _Optional[str] = ..., to: _Optional[str] = ..., sent_to: _Optional[str] = ..., type: _Optional[str] = ..., priority: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., payload: _Optional[str] = ..., in_reply_to: _Optional[str] = ..., read: bool = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., read_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class PurgeRequest(_message.Message):
    __slots__ = ["all", "handle"]
    ALL_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    all: bool
    handle: str
    def __init__(self, handle: _Optional[str] = ..., all: bool = ...) -> None: ...

class PurgeResponse(_message.Message):
    __slots__ = ["deleted"]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    deleted: int
    def __init__(self, deleted: _Optional[int] = ...) -> None: ...

class ReplyRequest(_message.Message):
    __slots__ = ["body", "id", "payload", "priority", "subject", "type"]
    BODY_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    body: str
    id: str
    payload: str
    priority: str
    subject: str
    type: str
    def __init__(self, id: _Optional[str] = ..., body: _Optional[str] = ..., subject: _Optional[str] = ..., type: _Optional[str] = ..., priority: _Optional[str] = ..., payload: _Optional[str] = ..., **kwargs) -> None: ...

class ReplyResponse(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

class SendRequest(_message.Message):
    __slots__ = ["body", "payload", "priority", "subject", "thread_id", "to", "type"]
    BODY_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    body: str
    payload: str
    priority: str
    subject: str
    thread_id: str
    to: str
    type: str
    def __init__(self, to: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., type: _Optional[str] = ..., priority: _Optional[str] = ..., thread_id: _Optional[str] = ..., payload: _Optional[str] = ..., **kwargs) -> None: ...

class SendResponse(_message.Message):
    __slots__ = ["messages", "thread_id"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[Message]
    thread_id: str
    def __init__(self, thread_id: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[Message, _Mapping]]] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ["after_seq", "handle", "types"]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_seq: int
    handle: str
    types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, handle: _Optional[str] = ..., after_seq: _Optional[int] = ..., types: _Optional[_Iterable[str]] = ...) -> None: ...

class SubscribeResponse(_message.Message):
    __slots__ = ["message"]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: Message
    def __init__(self, message: _Optional[_Union[Message, _Mapping]] = ...) -> None: ...

"""Tables of the procedure catalogue: current state, version history, import log.

``procedures.data`` holds the full canonical ``Procedure`` dict; the other columns of that
table are copies of its fields for filtering. Every change, including the first import,
writes one ``procedure_versions`` row whose ``version`` equals the procedure's new version.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    Dialect,
    ForeignKey,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ChangeKind = Literal["import", "edit", "deactivate"]
CHANGE_KINDS: tuple[ChangeKind, ...] = get_args(ChangeKind)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them without offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class ProcedureRow(Base):
    """Current state of one procedure."""

    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(24))
    province: Mapped[str | None] = mapped_column(String(64))
    levels: Mapped[list[Any]]
    citizen_facing: Mapped[bool] = mapped_column(index=True)
    data: Mapped[dict[str, Any]]
    version: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class ProcedureVersion(Base):
    """Snapshot of a procedure after one change, with who, when and what changed."""

    __tablename__ = "procedure_versions"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint(
            "change_kind IN (" + ", ".join(f"'{kind}'" for kind in CHANGE_KINDS) + ")",
            name="change_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("procedures.code"), index=True)
    version: Mapped[int]
    data: Mapped[dict[str, Any]]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(64))
    change_kind: Mapped[str] = mapped_column(String(16))
    changes: Mapped[list[Any]]
    note: Mapped[str | None] = mapped_column(Text)


class CatalogueImport(Base):
    """One sync of the shipped catalogue into the database."""

    __tablename__ = "catalogue_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    added: Mapped[int]
    updated: Mapped[int]
    unchanged: Mapped[int]
    conflicts: Mapped[int]


class ChatUser(Base):
    """A person on one channel: first contact, the campaign tag they came with, reachability."""

    __tablename__ = "chat_users"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_inbound_at: Mapped[datetime] = mapped_column(default=utcnow)
    start_payload: Mapped[str | None] = mapped_column(String(64))
    reachable: Mapped[bool] = mapped_column(default=True)
    unreachable_reason: Mapped[str | None] = mapped_column(String(64))


class ConversationRow(Base):
    """What a conversation is about, so follow-ups work after a restart."""

    __tablename__ = "conversations"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]]
    menu: Mapped[list[Any]]  # actions of the last reply's buttons, for "2" typed as a choice
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuestionLogRow(Base):
    """One question for analytics, personal data masked; unanswered ones await review."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), index=True)
    matched_code: Mapped[str | None] = mapped_column(String(16))
    aspect: Mapped[str] = mapped_column(String(16))
    latency_ms: Mapped[float] = mapped_column(Float)
    reviewed: Mapped[bool] = mapped_column(default=False)


class ProcessedUpdate(Base):
    """Platform update ids already handled: a platform's retry is never processed twice."""

    __tablename__ = "processed_updates"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PlatformToken(Base):
    """Rotating platform credentials (a Zalo refresh token works once): the current ones survive
    restarts; the environment only seeds them."""

    __tablename__ = "platform_tokens"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

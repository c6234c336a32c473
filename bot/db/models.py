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


class DossierRow(Base):
    """A dossier (hồ sơ) as the one-stop software last reported it.

    Only the phone's last four digits are kept: they are all the chat needs to verify a citizen.
    ``due_at`` is the appointment given at reception; ``new_due_at`` the one set by an apology.
    """

    __tablename__ = "dossiers"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    procedure_code: Mapped[str | None] = mapped_column(String(16), index=True)
    procedure_name: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(Text)
    applicant_name: Mapped[str | None] = mapped_column(Text)
    phone_last4: Mapped[str | None] = mapped_column(String(4))
    received_at: Mapped[datetime] = mapped_column(index=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    new_due_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(24), index=True)
    step: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]  # first time it became ready, rejected or withdrawn
    version: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DossierChange(Base):
    """One change of a dossier: who, when, and each field from what to what."""

    __tablename__ = "dossier_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("dossiers.code"), index=True)
    version: Mapped[int]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(64))
    changes: Mapped[list[Any]]


class DossierApology(Base):
    """A written apology for a late dossier with the new appointment (phiếu xin lỗi)."""

    __tablename__ = "dossier_apologies"
    __table_args__ = (UniqueConstraint("code", "new_due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("dossiers.code"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    new_due_at: Mapped[datetime]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(64))


class DossierFollower(Base):
    """A verified citizen who asked to be told when the dossier changes, on the channel they used."""

    __tablename__ = "dossier_followers"

    code: Mapped[str] = mapped_column(ForeignKey("dossiers.code"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(64), primary_key=True)  # conversation id
    user_id: Mapped[str] = mapped_column(String(64))
    since: Mapped[datetime] = mapped_column(default=utcnow)


class DossierRating(Base):
    """Satisfaction with a returned dossier, from a follower: 1–5 and an optional comment."""

    __tablename__ = "dossier_ratings"
    __table_args__ = (
        UniqueConstraint("code", "channel", "user_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("dossiers.code"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DossierEvent(Base):
    """Event ids pushed by the one-stop system: a repeated event changes nothing."""

    __tablename__ = "dossier_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


class LookupFailure(Base):
    """A dossier lookup that found nothing (unknown code or wrong phone digits), for the pause."""

    __tablename__ = "lookup_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class OutboxMessage(Base):
    """A proactive message, written in the transaction of the change that causes it.

    ``state``: pending (to send at ``next_attempt_at``), sent, held (Zalo's 7-day window closed:
    waits until the user writes again), refused (the platform refused for good), failed.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    reply: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(12), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(64))

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

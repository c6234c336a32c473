"""Chat service: users per channel, conversation state, question log, processed updates,
rotating platform tokens.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_users",
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_payload", sa.String(64), nullable=True),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("unreachable_reason", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("channel", "user_id", name=op.f("pk_chat_users")),
    )
    op.create_table(
        "conversations",
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("menu", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "conversation_id", name=op.f("pk_conversations")),
    )
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("matched_code", sa.String(16), nullable=True),
        sa.Column("aspect", sa.String(16), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_log")),
    )
    op.create_index(op.f("ix_question_log_asked_at"), "question_log", ["asked_at"])
    op.create_index(op.f("ix_question_log_status"), "question_log", ["status"])
    op.create_table(
        "processed_updates",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_updates")),
    )
    op.create_index(op.f("ix_processed_updates_received_at"), "processed_updates", ["received_at"])
    op.create_table(
        "platform_tokens",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_platform_tokens")),
    )


def downgrade() -> None:
    op.drop_table("platform_tokens")
    op.drop_index(op.f("ix_processed_updates_received_at"), table_name="processed_updates")
    op.drop_table("processed_updates")
    op.drop_index(op.f("ix_question_log_status"), table_name="question_log")
    op.drop_index(op.f("ix_question_log_asked_at"), table_name="question_log")
    op.drop_table("question_log")
    op.drop_table("conversations")
    op.drop_table("chat_users")

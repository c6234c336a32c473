"""Dossiers: status, change history, apologies, followers, ratings, pushed events, lookup
failures, and the outbox of proactive messages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("dossier_events",
    sa.Column("event_id", sa.String(length=128), nullable=False),
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("event_id", name=op.f("pk_dossier_events"))
    )
    op.create_table("dossiers",
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("procedure_code", sa.String(length=16), nullable=True),
    sa.Column("procedure_name", sa.Text(), nullable=True),
    sa.Column("field", sa.Text(), nullable=True),
    sa.Column("applicant_name", sa.Text(), nullable=True),
    sa.Column("phone_last4", sa.String(length=4), nullable=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("new_due_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("status", sa.String(length=24), nullable=False),
    sa.Column("step", sa.Text(), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("code", name=op.f("pk_dossiers"))
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossiers_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_procedure_code"), ["procedure_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_status"), ["status"], unique=False)

    op.create_table("lookup_failures",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("channel", sa.String(length=16), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_failures"))
    )
    with op.batch_alter_table("lookup_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lookup_failures_failed_at"), ["failed_at"], unique=False)

    op.create_table("outbox",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("dedupe_key", sa.String(length=160), nullable=False),
    sa.Column("channel", sa.String(length=16), nullable=False),
    sa.Column("recipient", sa.String(length=64), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("reply", sa.JSON(), nullable=False),
    sa.Column("state", sa.String(length=12), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key"))
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_state"), ["state"], unique=False)

    op.create_table("dossier_apologies",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.Column("new_due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("issued_by", sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(["code"], ["dossiers.code"], name=op.f("fk_dossier_apologies_code_dossiers")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_apologies")),
    sa.UniqueConstraint("code", "new_due_at", name=op.f("uq_dossier_apologies_code_new_due_at"))
    )
    with op.batch_alter_table("dossier_apologies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_apologies_code"), ["code"], unique=False)

    op.create_table("dossier_changes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(length=64), nullable=False),
    sa.Column("changes", sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(["code"], ["dossiers.code"], name=op.f("fk_dossier_changes_code_dossiers")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_changes"))
    )
    with op.batch_alter_table("dossier_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_changes_code"), ["code"], unique=False)

    op.create_table("dossier_followers",
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("channel", sa.String(length=16), nullable=False),
    sa.Column("recipient", sa.String(length=64), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["code"], ["dossiers.code"], name=op.f("fk_dossier_followers_code_dossiers")),
    sa.PrimaryKeyConstraint("code", "channel", "recipient", name=op.f("pk_dossier_followers"))
    )
    op.create_table("dossier_ratings",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=32), nullable=False),
    sa.Column("channel", sa.String(length=16), nullable=False),
    sa.Column("user_id", sa.String(length=64), nullable=False),
    sa.Column("score", sa.Integer(), nullable=False),
    sa.Column("comment", sa.Text(), nullable=True),
    sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_dossier_ratings_score")),
    sa.ForeignKeyConstraint(["code"], ["dossiers.code"], name=op.f("fk_dossier_ratings_code_dossiers")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_ratings")),
    sa.UniqueConstraint("code", "channel", "user_id", name=op.f("uq_dossier_ratings_code_channel_user_id"))
    )
    with op.batch_alter_table("dossier_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_ratings_code"), ["code"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("dossier_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_ratings_code"))

    op.drop_table("dossier_ratings")
    op.drop_table("dossier_followers")
    with op.batch_alter_table("dossier_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_changes_code"))

    op.drop_table("dossier_changes")
    with op.batch_alter_table("dossier_apologies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_apologies_code"))

    op.drop_table("dossier_apologies")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_next_attempt_at"))

    op.drop_table("outbox")
    with op.batch_alter_table("lookup_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lookup_failures_failed_at"))

    op.drop_table("lookup_failures")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossiers_status"))
        batch_op.drop_index(batch_op.f("ix_dossiers_received_at"))
        batch_op.drop_index(batch_op.f("ix_dossiers_procedure_code"))
        batch_op.drop_index(batch_op.f("ix_dossiers_due_at"))

    op.drop_table("dossiers")
    op.drop_table("dossier_events")

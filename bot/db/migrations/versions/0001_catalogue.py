"""Procedure catalogue: procedures, their versions, catalogue imports.

Revision ID: 0001
Revises:
Create Date: 2025-11-21
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "procedures",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("type", sa.String(24), nullable=False),
        sa.Column("province", sa.String(64), nullable=True),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("citizen_facing", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_procedures")),
    )
    op.create_index(op.f("ix_procedures_citizen_facing"), "procedures", ["citizen_facing"])
    op.create_table(
        "procedure_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("change_kind", sa.String(16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "change_kind IN ('import', 'edit', 'deactivate')",
            name=op.f("ck_procedure_versions_change_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["code"], ["procedures.code"], name=op.f("fk_procedure_versions_code_procedures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_versions")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_procedure_versions_code_version")),
    )
    op.create_index(op.f("ix_procedure_versions_code"), "procedure_versions", ["code"])
    op.create_table(
        "catalogue_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_imports")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_imports")
    op.drop_index(op.f("ix_procedure_versions_code"), table_name="procedure_versions")
    op.drop_table("procedure_versions")
    op.drop_index(op.f("ix_procedures_citizen_facing"), table_name="procedures")
    op.drop_table("procedures")

"""Canonical procedure schema shared by the catalogue build, the database and the matcher."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Level = Literal["commune", "province", "ministry", "other"]
ProcedureType = Literal["STANDARD", "SPECIFIC", "STANDARD_INTERNAL"]
SubmissionMethod = Literal["in_person", "online_full", "online_partial", "post"]
TimeUnit = Literal["working_day", "day", "hour", "month"]

LEVELS: tuple[Level, ...] = ("commune", "province", "ministry", "other")
SUBMISSION_METHODS: tuple[SubmissionMethod, ...] = ("in_person", "online_full", "online_partial", "post")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class ProcessingTime(_Model):
    """One processing-time statement; ``method`` is None when it applies to every method."""

    method: SubmissionMethod | None = None
    text: str
    value: float | None = None
    unit: TimeUnit | None = None


class Fee(_Model):
    """One fee statement. ``amount_vnd`` is 0 only when the text says free; None when unpublished."""

    method: SubmissionMethod | None = None
    text: str
    amount_vnd: int | None = None

    @field_validator("amount_vnd")
    @classmethod
    def _non_negative(cls, v: int | None) -> int | None:
        if v is not None and v < 0:
            raise ValueError("amount_vnd must be >= 0")
        return v


class Document(_Model):
    name: str = Field(min_length=1)
    originals: int | None = None
    copies: int | None = None


class DocumentGroup(_Model):
    """A list of documents; ``required`` False marks a case-dependent group ("trường hợp …")."""

    title: str = ""
    required: bool = True
    documents: list[Document]


class LegalBasis(_Model):
    code: str | None = None
    title: str


class Procedure(_Model):
    code: str = Field(pattern=r"^\d\.\d{6}$")
    name: str = Field(min_length=3)
    field: str | None = None
    levels: list[Level] = Field(min_length=1)
    type: ProcedureType
    province: str | None = None
    executing_bodies: list[str] = []
    authorised_bodies: list[str] = []
    target_users: list[str] = []
    submission_methods: list[SubmissionMethod] = []
    processing_times: list[ProcessingTime] = []
    fees: list[Fee] = []
    document_groups: list[DocumentGroup] = []
    steps: list[str] = []
    conditions: str | None = None
    results: list[str] = []
    legal_basis: list[LegalBasis] = []
    portal_url: str | None = None
    mentions_district: bool = False
    # Sources whose detail page was a copy of another procedure's and was left out (see catalogue/copies.py).
    withheld_sources: list[str] = []
    sources: list[str] = Field(min_length=1)

    @field_validator("province")
    @classmethod
    def _province_only_for_specific(cls, v: str | None, info) -> str | None:
        if v is not None and info.data.get("type") != "SPECIFIC":
            raise ValueError("province is set only for SPECIFIC procedures")
        return v

    @property
    def citizen_facing(self) -> bool:
        return self.type != "STANDARD_INTERNAL"

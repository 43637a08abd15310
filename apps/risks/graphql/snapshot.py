"""The typed face of an acceptance's snapshot (stored as JSON: the risk as approved)."""

from datetime import datetime

import strawberry
from strawberry import relay

from apps.risks.graphql.enums import RiskLevelEnum, TreatmentStrategyEnum


@strawberry.type(name="SnapshotRating", description="A rating as it stood at approval.")
class SnapshotRatingType:
    assessment_id: relay.GlobalID = strawberry.field(description="The RiskAssessment's id.")
    likelihood: int = strawberry.field(description="Likelihood step.")
    impact: int = strawberry.field(description="Impact step.")
    level: RiskLevelEnum = strawberry.field(description="Level on its matrix.")
    matrix_version: int = strawberry.field(description="The matrix version it was rated on.")


@strawberry.type(
    name="AcceptanceSnapshot",
    description="The risk as approved: a later rise of its level, or a change of its treatment "
    "or owner, voids the acceptance.",
)
class AcceptanceSnapshotType:
    title: str = strawberry.field(description="The risk's title then.")
    current_level: RiskLevelEnum | None = strawberry.field(description="Its level then.")
    treatment_strategy: TreatmentStrategyEnum | None = strawberry.field(
        description="Its treatment then."
    )
    owner_id: relay.GlobalID | None = strawberry.field(description="Its owner then (a Person id).")
    inherent: SnapshotRatingType | None = strawberry.field(description="Latest inherent rating.")
    residual: SnapshotRatingType | None = strawberry.field(description="Latest residual rating.")
    taken_at: datetime | None = strawberry.field(description="When it was taken.")


def _rating(data: dict | None) -> SnapshotRatingType | None:
    if not data:
        return None
    return SnapshotRatingType(
        assessment_id=relay.GlobalID("RiskAssessment", str(data["id"])),
        likelihood=data["likelihood"],
        impact=data["impact"],
        level=data["level"],
        matrix_version=data["matrix_version"],
    )


def snapshot_type(data: dict | None) -> AcceptanceSnapshotType | None:
    if not data:
        return None
    ratings = data.get("assessments") or {}
    owner = data.get("owner_id")
    taken = data.get("taken_at")
    return AcceptanceSnapshotType(
        title=data.get("title", ""),
        current_level=data.get("current_level") or None,
        treatment_strategy=data.get("treatment_strategy") or None,
        owner_id=relay.GlobalID("Person", str(owner)) if owner is not None else None,
        inherent=_rating(ratings.get("inherent")),
        residual=_rating(ratings.get("residual")),
        taken_at=datetime.fromisoformat(taken) if taken else None,
    )

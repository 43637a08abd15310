"""Writes of the emergency module, each a thin call of one service."""

import strawberry

from apps.emergency.graphql.mutations.activations import ActivationMutations
from apps.emergency.graphql.mutations.drills import DrillMutations
from apps.emergency.graphql.mutations.plans import PlanMutations


@strawberry.type
class EmergencyMutation(PlanMutations, ActivationMutations, DrillMutations):
    pass

import strawberry

from apps.risks.graphql.mutations.acceptance import AcceptanceMutations
from apps.risks.graphql.mutations.assessments import AssessmentMutations
from apps.risks.graphql.mutations.configuration import ConfigurationMutations
from apps.risks.graphql.mutations.controls import ControlMutations
from apps.risks.graphql.mutations.limits import LimitMutations
from apps.risks.graphql.mutations.risks import RiskMutations
from apps.risks.graphql.mutations.transfer import TransferMutations


@strawberry.type
class RisksMutation(
    RiskMutations,
    AssessmentMutations,
    ControlMutations,
    AcceptanceMutations,
    ConfigurationMutations,
    LimitMutations,
    TransferMutations,
):
    pass

"""What the viewer may do to a row now (`allowedTransitions`, `viewerCanClose`): the status
machine's targets from here, narrowed by the viewer's role as the mutations and guards narrow
them. Data guards (a commander and a step before review, a result before DONE) are left to the
mutation, which answers them in `errors`."""

from strawberry.types import Info

from apps.accounts.roles import Role
from apps.core.graphql.nodes import member_rank
from apps.emergency.models import ActivationStatus, VersionStatus
from apps.emergency.services.activations import ACTIVATION_LIFECYCLE
from apps.emergency.services.drills import FINDING_LIFECYCLE
from apps.emergency.services.plans import VERSION_LIFECYCLE

MANAGER_ONLY = {VersionStatus.APPROVED, VersionStatus.RETIRED}


def _rank(info: Info) -> int:
    return member_rank(info.context.request)


def _writes(info: Info) -> bool:
    return _rank(info) >= Role.rank(Role.ANALYST)


def version_targets(version, info: Info) -> list[str]:
    """planVersionTransition: analyst and up; APPROVED and RETIRED a risk manager's, and
    APPROVED never the author's own (four eyes)."""
    if not _writes(info):
        return []
    manager = _rank(info) >= Role.rank(Role.RISK_MANAGER)
    viewer_id = getattr(info.context.request.user, "pk", None)
    targets = []
    for to in VERSION_LIFECYCLE.targets(version.status):
        if to in MANAGER_ONLY and not manager:
            continue
        if to == VersionStatus.APPROVED and version.author_id == viewer_id:
            continue
        targets.append(to)
    return targets


def activation_targets(activation, info: Info) -> list[str]:
    """activationTransition: analyst and up (closing is activationClose: viewerCanClose)."""
    return ACTIVATION_LIFECYCLE.targets(activation.status) if _writes(info) else []


def can_close(activation, info: Info) -> bool:
    """activationClose: a risk manager or admin, while not closed."""
    manager = _rank(info) >= Role.rank(Role.RISK_MANAGER)
    return manager and activation.status != ActivationStatus.CLOSED


def finding_targets(finding, info: Info) -> list[str]:
    """drillFindingTransition: analyst and up."""
    return FINDING_LIFECYCLE.targets(finding.status) if _writes(info) else []

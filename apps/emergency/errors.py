from enum import Enum


class EmergencyErrorCode(Enum):
    """Why an emergency-plan operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CODE_TAKEN = "code_taken"
    INVALID_TRANSITION = "invalid_transition"
    IMMUTABLE = "immutable"
    SELF_APPROVAL = "self_approval"
    NOT_ALLOWED = "not_allowed"
    NO_APPROVED_VERSION = "no_approved_version"
    ALREADY_ACTIVATED = "already_activated"
    DRAFT_EXISTS = "draft_exists"
    INCOMPLETE = "incomplete"
    NOT_A_MEMBER = "not_a_member"


# Shown on each value of the GraphQL enum.
DESCRIPTIONS = {
    EmergencyErrorCode.INVALID: "A value is malformed or missing.",
    EmergencyErrorCode.NOT_FOUND: "No such object in this tenant.",
    EmergencyErrorCode.CODE_TAKEN: "The code is in use.",
    EmergencyErrorCode.INVALID_TRANSITION: "The status cannot move from where it is to there.",
    EmergencyErrorCode.IMMUTABLE: "Only a draft version can be edited; start a new draft.",
    EmergencyErrorCode.SELF_APPROVAL: "The author of a version cannot approve it.",
    EmergencyErrorCode.NOT_ALLOWED: "Your role may not do this step (approval: risk manager).",
    EmergencyErrorCode.NO_APPROVED_VERSION: "The plan has no approved version in force.",
    EmergencyErrorCode.ALREADY_ACTIVATED: "This signal already activated a plan.",
    EmergencyErrorCode.DRAFT_EXISTS: "The plan already has a draft or a version in review.",
    EmergencyErrorCode.INCOMPLETE: "Something required is missing (a commander, a root cause…).",
    EmergencyErrorCode.NOT_A_MEMBER: "The user named is not a member of this tenant.",
}

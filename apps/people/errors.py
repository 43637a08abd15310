from enum import Enum


class PeopleErrorCode(Enum):
    """Why a people or department operation was refused."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CODE_TAKEN = "code_taken"
    EMPLOYEE_NUMBER_TAKEN = "employee_number_taken"
    DEPARTMENT_CYCLE = "department_cycle"
    MANAGER_CYCLE = "manager_cycle"
    DEPARTMENT_IN_USE = "department_in_use"
    INACTIVE = "inactive"
    NOT_A_MEMBER = "not_a_member"
    USER_TAKEN = "user_taken"
    LEFT_BEFORE_HIRED = "left_before_hired"
    IMPORT_INVALID = "import_invalid"
    INVALID_TRANSITION = "invalid_transition"


# Shown on each value of the GraphQL enum.
DESCRIPTIONS = {
    PeopleErrorCode.INVALID: "A value is malformed or missing.",
    PeopleErrorCode.NOT_FOUND: "No such object in this tenant.",
    PeopleErrorCode.CODE_TAKEN: "Department code in use.",
    PeopleErrorCode.EMPLOYEE_NUMBER_TAKEN: "Another person has this employee number.",
    PeopleErrorCode.DEPARTMENT_CYCLE: "A department would sit under itself.",
    PeopleErrorCode.MANAGER_CYCLE: "A person would (indirectly) manage themselves.",
    PeopleErrorCode.DEPARTMENT_IN_USE: "The department still has active people or sub-departments.",
    PeopleErrorCode.INACTIVE: "The department or person referred to is deactivated.",
    PeopleErrorCode.NOT_A_MEMBER: "The user is not a member of this tenant.",
    PeopleErrorCode.USER_TAKEN: "The user is linked to another person.",
    PeopleErrorCode.LEFT_BEFORE_HIRED: "left_on is before hired_on.",
    PeopleErrorCode.IMPORT_INVALID: "The import file itself (size, encoding, header) is wrong.",
    PeopleErrorCode.INVALID_TRANSITION: "The status cannot move from where it is to there.",
}

from enum import Enum

import strawberry

from apps.core.graphql.errors import error_type


@strawberry.enum(description="Why a people or department operation was refused.")
class PeopleErrorCode(Enum):
    INVALID = strawberry.enum_value("invalid", description="A value is malformed or missing.")
    NOT_FOUND = strawberry.enum_value("not_found", description="No such object in this tenant.")
    CODE_TAKEN = strawberry.enum_value("code_taken", description="Department code in use.")
    EMPLOYEE_NUMBER_TAKEN = strawberry.enum_value(
        "employee_number_taken", description="Another person has this employee number."
    )
    DEPARTMENT_CYCLE = strawberry.enum_value(
        "department_cycle", description="A department would sit under itself."
    )
    MANAGER_CYCLE = strawberry.enum_value(
        "manager_cycle", description="A person would (indirectly) manage themselves."
    )
    DEPARTMENT_IN_USE = strawberry.enum_value(
        "department_in_use",
        description="The department still has active people or sub-departments.",
    )
    INACTIVE = strawberry.enum_value(
        "inactive", description="The department or person referred to is deactivated."
    )
    NOT_A_MEMBER = strawberry.enum_value(
        "not_a_member", description="The user is not a member of this tenant."
    )
    INVALID_TRANSITION = strawberry.enum_value(
        "invalid_transition", description="The status cannot move from where it is to there."
    )
    USER_TAKEN = strawberry.enum_value(
        "user_taken", description="The user is linked to another person."
    )
    LEFT_BEFORE_HIRED = strawberry.enum_value(
        "left_before_hired", description="left_on is before hired_on."
    )
    IMPORT_INVALID = strawberry.enum_value(
        "import_invalid", description="The import file itself (size, encoding, header) is wrong."
    )


PeopleError = error_type(
    "PeopleError", PeopleErrorCode, "A refused people or department operation."
)

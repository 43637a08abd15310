from enum import Enum

import strawberry

from apps.core.graphql.errors import error_type


@strawberry.enum(description="Why a training operation was refused.")
class TrainingErrorCode(Enum):
    INVALID = strawberry.enum_value("invalid", description="A value is malformed or missing.")
    NOT_FOUND = strawberry.enum_value("not_found", description="No such object in this tenant.")
    CODE_TAKEN = strawberry.enum_value("code_taken", description="Course code in use.")
    INACTIVE = strawberry.enum_value(
        "inactive", description="The course or person referred to is deactivated."
    )
    NOT_A_MEMBER = strawberry.enum_value(
        "not_a_member", description="The approver is not a member of this tenant."
    )
    RECORD_EXISTS = strawberry.enum_value(
        "record_exists",
        description="This person already has a record of this course completed at that time.",
    )
    IMPORT_INVALID = strawberry.enum_value(
        "import_invalid", description="The import file itself (size, encoding, header) is wrong."
    )


TrainingError = error_type("TrainingError", TrainingErrorCode, "A refused training operation.")

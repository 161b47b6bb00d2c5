from enum import StrEnum

class SwipeluxStatus(StrEnum):
    APPROVED = "approved"
    INCOMPLETE = "incomplete"
    NOT_STARTED = "not_started"
    PENDING_VERIFICATION = "pending_verification"
    REJECTED = "rejected"
    UNDER_REVIEW = "under_review"

    def __str__(self) -> str:
        return str(self.value)

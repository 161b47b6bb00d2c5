from enum import StrEnum

class ReviewInDecision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    REOPEN = "reopen"

    def __str__(self) -> str:
        return str(self.value)

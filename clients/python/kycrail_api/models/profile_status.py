from enum import StrEnum

class ProfileStatus(StrEnum):
    APPROVED = "approved"
    INCOMPLETE = "incomplete"
    PENDING = "pending"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)

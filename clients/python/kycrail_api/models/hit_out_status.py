from enum import StrEnum

class HitOutStatus(StrEnum):
    FALSE_POSITIVE = "false_positive"
    OPEN = "open"
    TRUE_MATCH = "true_match"

    def __str__(self) -> str:
        return str(self.value)

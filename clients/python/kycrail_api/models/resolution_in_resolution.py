from enum import StrEnum

class ResolutionInResolution(StrEnum):
    FALSE_POSITIVE = "false_positive"
    TRUE_MATCH = "true_match"

    def __str__(self) -> str:
        return str(self.value)

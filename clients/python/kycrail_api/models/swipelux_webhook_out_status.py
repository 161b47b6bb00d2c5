from enum import StrEnum

class SwipeluxWebhookOutStatus(StrEnum):
    DEGRADED = "degraded"
    DISABLED = "disabled"
    FAILING = "failing"
    HEALTHY = "healthy"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum

class SphereWebhookOutStatus(StrEnum):
    DEGRADED = "degraded"
    DISABLED = "disabled"
    FAILING = "failing"
    HEALTHY = "healthy"

    def __str__(self) -> str:
        return str(self.value)

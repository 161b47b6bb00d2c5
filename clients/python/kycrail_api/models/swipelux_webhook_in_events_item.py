from enum import StrEnum

class SwipeluxWebhookInEventsItem(StrEnum):
    CUSTOMER_CREATED = "customer.created"
    CUSTOMER_SCREENING_HIT = "customer.screening_hit"
    CUSTOMER_UPDATED = "customer.updated"
    CUSTOMER_VERIFICATION_CHANGED = "customer.verification_changed"
    VALUE_4 = "*"

    def __str__(self) -> str:
        return str(self.value)

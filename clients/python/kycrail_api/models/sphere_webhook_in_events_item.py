from enum import StrEnum

class SphereWebhookInEventsItem(StrEnum):
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_KYC_ADDITIONALREVIEWREQUIRED = "customer.kyc.additionalReviewRequired"
    CUSTOMER_KYC_PENDING = "customer.kyc.pending"
    CUSTOMER_KYC_REJECTED = "customer.kyc.rejected"
    CUSTOMER_KYC_SUCCESSFUL = "customer.kyc.successful"
    CUSTOMER_SCREENING_HIT = "customer.screening.hit"
    CUSTOMER_UPDATE = "customer.update"
    VALUE_7 = "*"

    def __str__(self) -> str:
        return str(self.value)

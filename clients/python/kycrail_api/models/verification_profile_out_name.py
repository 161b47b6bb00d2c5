from enum import StrEnum

class VerificationProfileOutName(StrEnum):
    KYB_PROFILE_A = "kyb_profile_a"
    KYC_PROFILE_A = "kyc_profile_a"

    def __str__(self) -> str:
        return str(self.value)

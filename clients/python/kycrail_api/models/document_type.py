from enum import StrEnum

class DocumentType(StrEnum):
    BUSINESS_REGISTRATION = "business_registration"
    DRIVERS = "drivers"
    ID_CARD = "id_card"
    LIVENESS_REPORT = "liveness_report"
    PASSPORT = "passport"
    PROOF_OF_ADDRESS = "proof_of_address"
    RESIDENCE_PERMIT = "residence_permit"

    def __str__(self) -> str:
        return str(self.value)

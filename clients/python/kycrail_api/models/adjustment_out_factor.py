from enum import StrEnum

class AdjustmentOutFactor(StrEnum):
    BIRTH_DATE = "birth_date"
    COUNTRY = "country"
    PARTY_TYPE = "party_type"
    WEAK_AKA = "weak_aka"

    def __str__(self) -> str:
        return str(self.value)

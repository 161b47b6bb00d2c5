from enum import StrEnum

class BusinessAddressInType(StrEnum):
    OPERATING = "operating"
    REGISTERED = "registered"

    def __str__(self) -> str:
        return str(self.value)

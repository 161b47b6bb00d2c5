from enum import StrEnum

class BusinessAddressOutType(StrEnum):
    OPERATING = "operating"
    REGISTERED = "registered"

    def __str__(self) -> str:
        return str(self.value)

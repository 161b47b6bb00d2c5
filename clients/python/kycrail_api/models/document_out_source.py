from enum import StrEnum

class DocumentOutSource(StrEnum):
    SUMSUB = "sumsub"
    UPLOAD = "upload"

    def __str__(self) -> str:
        return str(self.value)

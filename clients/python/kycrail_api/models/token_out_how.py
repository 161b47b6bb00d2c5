from enum import StrEnum

class TokenOutHow(StrEnum):
    CONSONANTS = "consonants"
    INITIAL = "initial"
    SAME = "same"
    SPELLING = "spelling"
    TRANSLITERATION = "transliteration"
    TYPO = "typo"
    UNMATCHED = "unmatched"

    def __str__(self) -> str:
        return str(self.value)

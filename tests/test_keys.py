from hypothesis import given
from hypothesis import strategies as st

from kycrail.tenants import keys


def test_generated_keys_have_the_documented_shape() -> None:
    key = keys.generate_key()
    assert key.startswith("kr_")
    assert len(key) == keys.KEY_LENGTH == 46
    assert keys.is_well_formed(key)
    assert keys.display_prefix(key) == key[:12]


def test_generated_keys_are_distinct() -> None:
    assert len({keys.generate_key() for _ in range(1000)}) == 1000


def test_the_hash_is_stable_distinct_and_hides_the_key() -> None:
    # Comparing a presented key with a stored hash: tenants.service.authenticate (tests/test_auth.py).
    key, other = keys.generate_key(), keys.generate_key()
    stored = keys.hash_key(key)
    assert len(stored) == 64
    assert key not in stored
    assert keys.hash_key(key) == stored
    assert keys.hash_key(other) != stored


@given(st.text(max_size=80))
def test_only_kr_keys_of_the_right_length_are_well_formed(candidate: str) -> None:
    expected = (
        candidate.startswith("kr_")
        and len(candidate) == 46
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in candidate[3:])
    )
    assert keys.is_well_formed(candidate) == expected

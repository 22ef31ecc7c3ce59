"""The service hashes passwords at argon2's full cost; the tests hash at the cheapest (tests/conftest.py
swaps the hasher once per run, so a user, a login or a new app does not cost a quarter second of a core)."""
from __future__ import annotations

from argon2 import PasswordHasher, Type, profiles

from service.accounts import models, passwords
from tests import conftest


def test_the_service_hashes_at_the_rfc_9106_low_memory_cost():
    production = conftest.PRODUCTION_ARGON2
    assert isinstance(production, PasswordHasher)
    expected = profiles.RFC_9106_LOW_MEMORY  # argon2id, t=3, m=64 MiB, p=4: argon2-cffi's default
    assert (production.type, production.time_cost, production.memory_cost, production.parallelism,
            production.hash_len, production.salt_len) == \
        (Type.ID, expected.time_cost, expected.memory_cost, expected.parallelism, expected.hash_len,
         expected.salt_len)


def test_the_tests_hash_with_one_cheap_hasher_everywhere():
    assert models._hasher is passwords._hasher
    assert models._hasher.type is Type.ID and models._hasher.time_cost == 1


def test_a_hash_of_the_production_cost_still_logs_in_and_is_rehashed():
    """A hash made at another cost (here the production one) is verified and rehashed at the current cost."""
    user = models.User(login="kowalska", role="assistant", full_name="Anna Kowalska")
    user.password_hash = conftest.PRODUCTION_ARGON2.hash("haslo-kowalska")
    assert user.check_password("haslo-kowalska")
    assert not models._hasher.check_needs_rehash(user.password_hash)
    assert not user.check_password("zle-haslo")

"""The stewards' login without Streamlit: password hashes, the failed-login limiter, and reading the configuration."""

from __future__ import annotations

import threading

import pytest

from dashboard import auth
from dashboard.auth import (
    LockoutPolicy,
    LoginLimiter,
    check_login,
    hash_password,
    limiter_keys,
    login_config,
    prompt_and_hash,
    steward_allowed,
    verify_password,
)


@pytest.fixture(scope="module")
def alice_hash() -> str:
    return hash_password("correct horse battery staple")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock) -> LoginLimiter:
    return LoginLimiter(clock=clock)


POLICY = LockoutPolicy(max_failures=5, window=900, first_lock=60, longest_lock=3600)


def fail(limiter: LoginLimiter, keys: list[str], times: int) -> list[float]:
    return [limiter.attempt(keys, POLICY) for _ in range(times)]


# --- hashes ---


def test_a_hash_verifies_its_password_and_no_other(alice_hash):
    assert alice_hash.startswith("scrypt$n=16384,r=8,p=5$")
    assert verify_password("correct horse battery staple", alice_hash)
    assert not verify_password("correct horse battery stapl", alice_hash)
    assert not verify_password("", alice_hash)


def test_each_hash_has_its_own_salt():
    first, second = hash_password("same password"), hash_password("same password")
    assert first != second
    assert verify_password("same password", first) and verify_password("same password", second)


def test_non_ascii_passwords_round_trip():
    assert verify_password("mot de passe à l'été ✓", hash_password("mot de passe à l'été ✓"))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain text password",
        "scrypt$n=16384,r=8,p=5$",
        "scrypt$n=16384,r=8,p=5$c2FsdHNhbHRzYWx0$",
        "scrypt$n=16384,r=8,p=5$not base64!$aGFzaA==",
        "scrypt$n=16384,r=8,p=5$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=$",
        "scrypt$n=1000,r=8,p=5$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=",  # n not a power of two
        "scrypt$n=1048576,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=",  # 1 GiB: refused, not attempted
        "scrypt$n=16384,r=0,p=5$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=",
        "scrypt$n=16384,r=8,p=5$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=",  # salt too short
        "pbkdf2_sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=",
        None,
        12345,
        {"hash": "x"},
    ],
)
def test_a_malformed_stored_hash_is_false_not_an_error(stored):
    assert verify_password("anything", stored) is False


def test_the_malformed_examples_differ_from_a_well_formed_hash_only_where_they_say():
    well_formed = "scrypt$n=16384,r=8,p=5$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g="
    assert auth._parse_hash(well_formed) is not None
    assert verify_password("anything", well_formed) is False  # well formed, but not the hash of "anything"


def test_a_truncated_or_altered_hash_is_false(alice_hash):
    assert not verify_password("correct horse battery staple", alice_hash[:-4])
    prefix, digest = alice_hash.rsplit("$", 1)
    altered = prefix + "$" + ("A" if digest[0] != "A" else "B") + digest[1:]
    assert not verify_password("correct horse battery staple", altered)


def test_prompt_and_hash_asks_twice_and_hashes():
    answers = iter(["a long enough password", "a long enough password"])
    stored = prompt_and_hash(lambda prompt: next(answers))
    assert verify_password("a long enough password", stored)


@pytest.mark.parametrize(
    ("first", "second", "problem"),
    [("a long enough password", "a long enough passwore", "differ"), ("short", "short", "too short")],
)
def test_prompt_and_hash_refuses_a_mismatch_or_a_short_password(first, second, problem):
    answers = iter([first, second])
    with pytest.raises(ValueError, match=problem):
        prompt_and_hash(lambda prompt: next(answers))


# --- the limiter ---


def test_the_limiter_locks_a_key_after_the_allowed_failures(limiter):
    keys = ["user:alice"]
    assert fail(limiter, keys, 5) == [0.0] * 5  # five attempts are checked
    assert limiter.attempt(keys, POLICY) == 60.0  # the sixth is refused unchecked
    assert limiter.wait_seconds(keys) == 60.0


def test_a_lock_ends_after_its_delay(limiter, clock):
    keys = ["user:alice"]
    fail(limiter, keys, 5)
    clock.advance(59)
    assert limiter.attempt(keys, POLICY) == 1.0
    clock.advance(1)
    assert limiter.wait_seconds(keys) == 0.0
    assert limiter.attempt(keys, POLICY) == 0.0


def test_attempts_while_locked_do_not_lengthen_the_lock(limiter, clock):
    keys = ["user:alice"]
    fail(limiter, keys, 5)
    for _ in range(20):
        limiter.attempt(keys, POLICY)
        clock.advance(1)
    assert limiter.wait_seconds(keys) == 40.0


def test_each_further_failure_doubles_the_lock_up_to_the_cap(limiter, clock):
    keys = ["user:alice"]
    fail(limiter, keys, 5)
    locks = [limiter.wait_seconds(keys)]
    for _ in range(8):
        clock.advance(limiter.wait_seconds(keys))
        assert limiter.attempt(keys, POLICY) == 0.0  # checked, failed again
        locks.append(limiter.wait_seconds(keys))
    assert locks == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_failures_spread_over_more_than_the_window_do_not_lock(limiter, clock):
    keys = ["user:alice"]
    for _ in range(20):
        assert limiter.attempt(keys, POLICY) == 0.0
        clock.advance(4 * 60)  # 4 failures at most in any 15 minutes
    assert limiter.wait_seconds(keys) == 0.0


def test_a_quiet_window_after_a_lock_starts_afresh(limiter, clock):
    keys = ["user:alice"]
    fail(limiter, keys, 5)
    clock.advance(60 + 900)
    assert fail(limiter, keys, 5) == [0.0] * 5
    assert limiter.wait_seconds(keys) == 60.0  # the first lock's length again, not doubled


def test_a_success_forgets_the_failures(limiter):
    keys = ["user:alice"]
    fail(limiter, keys, 4)
    limiter.succeeded(keys)
    assert fail(limiter, keys, 4) == [0.0] * 4
    assert limiter.wait_seconds(keys) == 0.0


def test_keys_are_counted_apart(limiter):
    fail(limiter, limiter_keys("alice", "203.0.113.7"), 5)
    assert limiter.wait_seconds(limiter_keys("alice", "198.51.100.1")) > 0  # the user name is locked everywhere
    assert limiter.wait_seconds(limiter_keys("bob", "203.0.113.7")) > 0  # and the address for every name
    assert limiter.wait_seconds(limiter_keys("bob", "198.51.100.1")) == 0
    assert limiter.wait_seconds(limiter_keys("bob", None)) == 0


def test_one_address_trying_many_names_is_locked(limiter):
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        assert limiter.attempt(limiter_keys(name, "203.0.113.7"), POLICY) == 0.0
    assert limiter.attempt(limiter_keys("frank", "203.0.113.7"), POLICY) > 0


def test_user_names_count_together_whatever_their_case():
    assert limiter_keys(" Alice ", None) == limiter_keys("alice", None) == ["user:alice"]


@pytest.mark.parametrize(("threads", "locked"), [(99, False), (100, True)])
def test_failures_at_the_same_moment_from_many_threads_count_exactly(limiter, threads, locked):
    policy = LockoutPolicy(max_failures=100)
    start = threading.Barrier(threads)
    results: list[float] = []

    def attempt():
        start.wait()
        results.append(limiter.attempt(["user:alice"], policy))

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == [0.0] * threads
    assert (limiter.wait_seconds(["user:alice"]) > 0) is locked


def test_many_threads_racing_a_locked_out_key_get_exactly_the_allowed_checks(limiter):
    start = threading.Barrier(50)
    results: list[float] = []

    def attempt():
        start.wait()
        results.append(limiter.attempt(["user:alice"], POLICY))

    workers = [threading.Thread(target=attempt) for _ in range(50)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results.count(0.0) == 5


def test_made_up_user_names_do_not_grow_the_table_for_ever(clock):
    limiter = LoginLimiter(clock=clock, max_keys=100)
    for i in range(1000):
        limiter.attempt([f"user:nobody{i}"], POLICY)
        clock.advance(60)  # each key idle for the whole window well before the end
    assert len(limiter._keys) <= 101


# --- a whole login ---


def test_check_login_lets_the_right_password_in(alice_hash, limiter):
    users = {"alice": alice_hash}
    assert check_login(users, "alice", "correct horse battery staple", limiter=limiter).ok
    assert not check_login(users, "alice", "wrong", limiter=limiter).ok
    assert not check_login(users, "mallory", "correct horse battery staple", limiter=limiter).ok


def test_check_login_refuses_even_the_right_password_while_locked(alice_hash, limiter):
    users = {"alice": alice_hash}
    for _ in range(5):
        assert check_login(users, "alice", "wrong", policy=POLICY, limiter=limiter) == auth.LoginOutcome(ok=False)
    outcome = check_login(users, "alice", "correct horse battery staple", policy=POLICY, limiter=limiter)
    assert not outcome.ok and outcome.wait_seconds == 60.0


def test_an_unknown_user_is_checked_against_a_dummy_hash(alice_hash, limiter, monkeypatch):
    checked = []
    real_verify = auth.verify_password
    monkeypatch.setattr(
        auth, "verify_password", lambda password, stored: checked.append(stored) or real_verify(password, stored)
    )
    check_login({"alice": alice_hash, "bob": "malformed"}, "mallory", "x", limiter=limiter)
    check_login({"alice": alice_hash, "bob": "malformed"}, "bob", "x", limiter=limiter)
    assert checked == [auth._dummy_hash()] * 2  # same work as a wrong password: names cannot be found by timing
    assert auth._dummy_hash().startswith("scrypt$n=16384,r=8,p=5$")


def test_unknown_user_names_are_locked_out_like_known_ones(limiter):
    for _ in range(5):
        check_login({}, "mallory", "x", policy=POLICY, limiter=limiter)
    assert check_login({}, "mallory", "x", policy=POLICY, limiter=limiter).wait_seconds == 60.0


# --- configuration ---


def test_no_configuration_means_no_login():
    assert login_config({}).method == "none"
    assert login_config({"database": {"url": "postgresql://x"}}).method == "none"
    assert login_config({"admin": {"users": {}}}).method == "none"


def test_admin_users_mean_the_password_form(alice_hash):
    config = login_config({"admin": {"users": {"alice": alice_hash, "broken": 12}, "login_attempts": 3}})
    assert config.method == "password"
    assert config.users == {"alice": alice_hash}
    assert config.policy.max_failures == 3


@pytest.mark.parametrize("attempts", [0, -1, "5", True, 2.5])
def test_an_unusable_login_attempts_keeps_the_default(attempts):
    assert login_config({"admin": {"login_attempts": attempts}}).policy.max_failures == 5


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "s3cret-s3cret-s3cret",
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
}


def test_an_auth_section_means_openid_connect_even_with_passwords(alice_hash):
    config = login_config({"auth": AUTH, "admin": {"users": {"alice": alice_hash}}})
    assert config.method == "oidc"
    assert config.providers == (None,) and config.missing == ()


def test_named_providers_are_offered_each():
    named = {"client_id": "id", "client_secret": "secret", "server_metadata_url": "https://x"}
    config = login_config({"auth": {"redirect_uri": "r", "cookie_secret": "c", "google": named, "okta": named}})
    assert config.providers == ("google", "okta") and config.missing == ()


def test_an_incomplete_auth_section_says_what_it_lacks():
    config = login_config({"auth": {"client_id": "id", "okta": {"client_id": "id"}}})
    assert config.method == "oidc"
    assert config.missing == (
        "auth.redirect_uri", "auth.cookie_secret", "auth.client_secret", "auth.server_metadata_url",
        "auth.okta.client_secret", "auth.okta.server_metadata_url",
    )  # fmt: skip


def test_allowed_emails_restrict_openid_connect_accounts():
    open_to_all = login_config({"auth": AUTH})
    assert steward_allowed(open_to_all, "anyone@example.org")
    listed = login_config({"auth": AUTH, "admin": {"allowed_emails": ["Alice@Example.org"]}})
    assert steward_allowed(listed, "alice@example.org")
    assert not steward_allowed(listed, "mallory@example.org")
    assert not steward_allowed(listed, None)

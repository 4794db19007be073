"""Data stewards' login, without Streamlit: which method the secrets configure, password hashes, failed-login limits."""

from __future__ import annotations

import base64
import binascii
import getpass
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

# scrypt at N=2^14, r=8, p=5: one of OWASP's equivalent settings, 16 MiB per hash rather than the 64-128 MiB of a
# larger N, because the app checks passwords in threads that share one process (about 0.2 s per check).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 5
SALT_BYTES, HASH_BYTES = 16, 32
# Stored hashes come from the secrets file, but a typo must not make the app allocate gigabytes.
SCRYPT_MAX_MEMORY = 64 * 2**20
MIN_PASSWORD_LENGTH = 12  # asked of new passwords only (prompt_and_hash)
_HASH_FORMAT = re.compile(r"scrypt\$n=(\d{1,8}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)")

# The [auth] keys st.login() needs; the provider keys may sit in [auth] itself or in one [auth.<name>] per provider.
AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


def hash_password(password: str) -> str:
    """The password as `scrypt$n=16384,r=8,p=5$<salt>$<hash>` (base64), with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored` (from hash_password); a malformed or unusable `stored` is simply False."""
    parsed = _parse_hash(stored)
    if parsed is None or not isinstance(password, str):
        return False
    n, r, p, salt, expected = parsed
    try:
        digest = _scrypt(password, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):  # parameters OpenSSL refuses
        return False
    return hmac.compare_digest(digest, expected)


def prompt_and_hash(ask: Callable[[str], str] = getpass.getpass) -> str:
    """Ask for a new password twice (without echo) and return its hash: `python -m dashboard hash-password`.

    Raises ValueError, with a message for the terminal, when the two differ or the password is too short.
    """
    password = ask("New password: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password is too short: at least {MIN_PASSWORD_LENGTH} characters")
    if not hmac.compare_digest(password.encode(), ask("Repeat it: ").encode()):
        raise ValueError("the two passwords differ")
    return hash_password(password)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=SCRYPT_MAX_MEMORY)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _parse_hash(stored: object) -> tuple[int, int, int, bytes, bytes] | None:
    """(n, r, p, salt, hash) of a stored hash, or None when it is not one this module can check."""
    if not isinstance(stored, str) or not (match := _HASH_FORMAT.fullmatch(stored.strip())):
        return None
    n, r, p = (int(match[i]) for i in (1, 2, 3))
    try:
        salt, expected = (base64.b64decode(match[i], validate=True) for i in (4, 5))
    except (binascii.Error, ValueError):
        return None
    usable = (
        n > 1 and n & (n - 1) == 0 and r >= 1 and 1 <= p <= 16 and 128 * n * r <= SCRYPT_MAX_MEMORY // 2
        and len(salt) >= SALT_BYTES and len(expected) == HASH_BYTES  # a cut-off hash is a copying mistake
    )  # fmt: skip
    return (n, r, p, salt, expected) if usable else None


@cache
def _dummy_hash() -> str:
    """Checked in place of an unknown user's hash, so that unknown user names take as long as wrong passwords."""
    return hash_password(secrets.token_urlsafe(16))


# --- failed logins ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` failed logins within `window` seconds lock a key for `first_lock` seconds; each further failure
    before the key has been quiet for `window` seconds locks it again for twice as long, up to `longest_lock`."""

    max_failures: int = 5
    window: float = 15 * 60
    first_lock: float = 60
    longest_lock: float = 60 * 60


DEFAULT_POLICY = LockoutPolicy()


@dataclass
class _KeyState:
    failures: deque[float] = field(default_factory=deque)  # when the recent failures happened
    locks: int = 0  # locks in the current run of failures: the next one lasts 2**locks times the first
    locked_until: float = 0.0


class LoginLimiter:
    """Counts failed logins per key (a user name, a client address) for the whole process; safe across threads.

    `attempt()` counts an attempt as a failure before the password is checked and `succeeded()` forgets the keys,
    so that attempts made at the same moment by many sessions cannot slip past the limit while their checks run.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        self._clock = clock
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._keys: dict[str, _KeyState] = {}

    def attempt(self, keys: Iterable[str], policy: LockoutPolicy = DEFAULT_POLICY) -> float:
        """0 when an attempt may be checked (it counts as failed until `succeeded`), or the seconds left to wait."""
        keys = list(keys)
        with self._lock:
            now = self._clock()
            wait = max((self._wait(key, now) for key in keys), default=0.0)
            if wait > 0:
                return wait  # refused without counting: waiting out the lock is what is asked
            for key in keys:
                self._fail(self._keys.setdefault(key, _KeyState()), now, policy)
            if len(self._keys) > self._max_keys:
                self._forget_idle(now, policy)
            return 0.0

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._keys.pop(key, None)

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """The seconds left before any of `keys` may try again (0 when none is locked)."""
        with self._lock:
            now = self._clock()
            return max((self._wait(key, now) for key in keys), default=0.0)

    def reset(self) -> None:
        with self._lock:
            self._keys.clear()

    def _wait(self, key: str, now: float) -> float:
        state = self._keys.get(key)
        return max(0.0, state.locked_until - now) if state else 0.0

    @staticmethod
    def _fail(state: _KeyState, now: float, policy: LockoutPolicy) -> None:
        if state.locks and now - state.locked_until >= policy.window:
            state.locks = 0  # quiet long enough after the last lock: start afresh
        while state.failures and now - state.failures[0] >= policy.window:
            state.failures.popleft()
        state.failures.append(now)
        if state.locks or len(state.failures) >= policy.max_failures:
            state.locked_until = now + min(policy.first_lock * 2**state.locks, policy.longest_lock)
            state.locks += 1
            state.failures.clear()

    def _forget_idle(self, now: float, policy: LockoutPolicy) -> None:
        # Made-up user names must not grow the table for ever: drop keys with nothing left to remember.
        def idle(state: _KeyState) -> bool:
            recent = state.failures and now - state.failures[-1] < policy.window
            return not recent and now - state.locked_until >= policy.window

        for key in [key for key, state in self._keys.items() if idle(state)]:
            del self._keys[key]


LOGIN_LIMITER = LoginLimiter()  # one for the process: every session's attempts count together


def limiter_keys(username: str, address: str | None) -> list[str]:
    """The keys one attempt counts against: the user name (any case) and, when known, the client's address."""
    keys = [f"user:{username.strip().casefold()}"]
    return keys + [f"address:{address}"] if address else keys


@dataclass(frozen=True)
class LoginOutcome:
    ok: bool
    wait_seconds: float = 0.0  # > 0: refused without checking the password, locked out for this long


def check_login(
    users: Mapping[str, str],
    username: str,
    password: str,
    address: str | None = None,
    policy: LockoutPolicy = DEFAULT_POLICY,
    limiter: LoginLimiter = LOGIN_LIMITER,
) -> LoginOutcome:
    """A password login: refused while locked out; otherwise checked, in the same time whether the user exists."""
    keys = limiter_keys(username, address)
    if wait := limiter.attempt(keys, policy):
        return LoginOutcome(ok=False, wait_seconds=wait)
    stored = users.get(username.strip())
    known = _parse_hash(stored) is not None
    matches = verify_password(password, stored if known else _dummy_hash())
    if known and matches:
        limiter.succeeded(keys)
        return LoginOutcome(ok=True)
    return LoginOutcome(ok=False)


# --- configuration ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginConfig:
    """How data stewards log in, read from the secrets: OpenID Connect, passwords, or not at all (`none`)."""

    method: Literal["oidc", "password", "none"]
    users: Mapping[str, str] = field(default_factory=dict)  # password method: user name -> stored hash
    providers: tuple[str | None, ...] = ()  # oidc: st.login() names; None is the provider set in [auth] itself
    missing: tuple[str, ...] = ()  # oidc: settings st.login() needs that [auth] lacks, as "auth.redirect_uri"
    allowed_emails: frozenset[str] = frozenset()  # oidc: when not empty, only these accounts (lower case) are let in
    policy: LockoutPolicy = DEFAULT_POLICY


def login_config(secrets: Mapping) -> LoginConfig:
    """The login method the secrets configure: [auth] (OpenID Connect) first, then [admin.users] (passwords)."""
    admin = _table(secrets.get("admin"))
    attempts = admin.get("login_attempts")
    valid_attempts = isinstance(attempts, int) and not isinstance(attempts, bool) and attempts >= 1
    policy = LockoutPolicy(max_failures=attempts) if valid_attempts else DEFAULT_POLICY
    auth = _table(secrets.get("auth"))
    if auth:
        providers, missing = _oidc_providers(auth)
        allowed = admin.get("allowed_emails", [])
        allowed = frozenset(str(e).strip().casefold() for e in (allowed if isinstance(allowed, list) else [allowed]))
        return LoginConfig("oidc", providers=providers, missing=missing, allowed_emails=allowed, policy=policy)
    users = {str(name): value for name, value in _table(admin.get("users")).items() if isinstance(value, str)}
    if users:
        return LoginConfig("password", users=users, policy=policy)
    return LoginConfig("none", policy=policy)


def _oidc_providers(auth: Mapping) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    missing = [f"auth.{key}" for key in AUTH_KEYS if not auth.get(key)]
    named = [name for name, value in auth.items() if isinstance(value, Mapping) and name != "client_kwargs"]
    if not named or any(auth.get(key) for key in PROVIDER_KEYS):
        missing += [f"auth.{key}" for key in PROVIDER_KEYS if not auth.get(key)]
        named = [None, *named]
    for name in named:
        if name is not None:
            missing += [f"auth.{name}.{key}" for key in PROVIDER_KEYS if not auth[name].get(key)]
    return tuple(named), tuple(missing)


def _table(value: object) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def steward_allowed(config: LoginConfig, email: str | None) -> bool:
    """Whether an OpenID Connect account may use the admin page: any account, unless [admin] allowed_emails lists some."""
    return not config.allowed_emails or (email or "").strip().casefold() in config.allowed_emails

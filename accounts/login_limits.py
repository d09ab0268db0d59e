"""Login rate limiting: failed sign-ins are counted per login name and per client address in the
cache, and after too many within the window both are locked out for a while.

The counters live in the Django cache so every web process sees the same numbers: production sets a
Redis cache (config/settings/production.py); with the in-process cache of local runs each process
counts alone, which is fine for one machine. Login names are hashed into the key so a key never
carries user input (and names that differ only in case share a counter).

Used by the sign-in pages (accounts.forms.RateLimitedAuthenticationForm, also the admin's) and by the
API's token endpoint, so the three cannot be played against each other.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

PREFIX = "login-limit"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def failure_limit() -> int:
    """Failures of one login name within the window before it is locked."""
    return _setting("LOGIN_FAILURE_LIMIT", 5)


def address_failure_limit() -> int:
    """Failures from one address (any names) before the address is locked: higher, since a campus
    or an enterprise often signs in from behind one NAT address."""
    return _setting("LOGIN_ADDRESS_FAILURE_LIMIT", 30)


def window_seconds() -> int:
    return _setting("LOGIN_FAILURE_WINDOW", 15 * 60)


def lockout_seconds() -> int:
    return _setting("LOGIN_LOCKOUT_SECONDS", 15 * 60)


def client_address(request) -> str:
    """The client's address. Behind N trusted reverse proxies (LOGIN_TRUSTED_PROXIES = N) it is the
    N-th address from the right of X-Forwarded-For: entries further left are whatever the client sent."""
    if request is None:
        return "unknown"
    proxies = _setting("LOGIN_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    """(counter key, limit) for the login name and for the address."""
    return [
        (f"{PREFIX}:name:{_digest((username or '').strip().casefold())}", failure_limit()),
        (f"{PREFIX}:addr:{_digest(address)}", address_failure_limit()),
    ]


class LoginLocked(Exception):
    def __init__(self, seconds: int):
        self.seconds = max(1, int(seconds))
        minutes = max(1, math.ceil(self.seconds / 60))
        self.message = _("登录失败次数过多，账号或当前网络已被暂时锁定，请在 %(minutes)d 分钟后再试。") % {
            "minutes": minutes
        }
        super().__init__(self.message)


def check(username: str, address: str) -> None:
    """Raise LoginLocked while the name or the address is locked out."""
    now = time.time()
    for key, _limit in _keys(username, address):
        until = cache.get(f"{key}:locked")
        if until is not None and until > now:
            raise LoginLocked(until - now)


def failed(username: str, address: str) -> None:
    """Count one failure; lock the name or address that reaches its limit."""
    for key, limit in _keys(username, address):
        # add() starts the window only if no counter exists; incr() is atomic in Redis.
        cache.add(key, 0, timeout=window_seconds())
        try:
            count = cache.incr(key)
        except ValueError:  # the counter expired between add() and incr()
            cache.set(key, 1, timeout=window_seconds())
            count = 1
        if count >= limit:
            lock = lockout_seconds()
            cache.set(f"{key}:locked", time.time() + lock, timeout=lock)
            cache.delete(key)


def succeeded(username: str) -> None:
    """A correct password clears the name's failures (not the address's: one valid account must not
    reset the count for guesses at the others)."""
    key, _limit = _keys(username, "")[0]
    cache.delete(key)

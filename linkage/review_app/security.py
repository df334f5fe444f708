"""Access control and security headers for the review app (an ASGI middleware).

Every request needs the access token: in the URL's query (``?token=...``, as the terminal prints
it), which sets an HttpOnly, SameSite=Strict cookie and redirects to the same address without
the token; or in that cookie. Anything else gets 403. The cookie's name carries the port, so two
apps on one machine keep apart. When the app listens on the loopback only, a request naming any
other host is refused too (DNS rebinding). Every response carries a strict Content-Security-Policy
(scripts, styles and images from the app only), X-Frame-Options DENY and no caching.
"""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this computer only (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cookie_name(scope: Scope) -> str:
    """The access cookie's name for the port the request came in on."""
    server = scope.get("server") or ("", 0)
    return f"reencuentro-review-{server[1]}"


class Guard:
    """Lets through only requests that carry ``token``; adds the security headers."""

    def __init__(self, app: ASGIApp, token: str, denied: str, loopback_only: bool = True):
        self.app = app
        self.token = token
        self.denied = denied
        self.loopback_only = loopback_only

    def _valid(self, given: str | None) -> bool:
        return bool(given) and secrets.compare_digest(given.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in HEADERS if h[0] not in names
                ]
            await send(message)

        request = Request(scope)
        if self.loopback_only and not is_loopback(request.url.hostname or ""):
            await PlainTextResponse(self.denied, 403)(scope, receive, send_with_headers)
            return
        if "token" in request.query_params:
            if not self._valid(request.query_params["token"]):
                await PlainTextResponse(self.denied, 403)(scope, receive, send_with_headers)
                return
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            clean = URL(path=request.url.path, query=urlencode(rest))
            response = RedirectResponse(str(clean), 303)
            response.set_cookie(
                cookie_name(scope), self.token, httponly=True, samesite="strict", path="/"
            )
            await response(scope, receive, send_with_headers)
            return
        if not self._valid(request.cookies.get(cookie_name(scope))):
            await PlainTextResponse(self.denied, 403)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

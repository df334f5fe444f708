"""Serve the review app: bind a socket, print the address with its token, run uvicorn."""

from __future__ import annotations

import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from linkage.review_app.app import create_app
from linkage.review_app.security import is_loopback
from linkage.review_app.text import TEXT


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock


def address(sock: socket.socket, token: str) -> str:
    """The app's address with its access token, as the terminal prints it."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def server(app: Starlette) -> uvicorn.Server:
    """A uvicorn server for ``app``, quiet but for warnings."""
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))


@dataclass
class Served:
    """An app running in a background thread (for tests and notebooks)."""

    app: Starlette
    server: uvicorn.Server
    thread: threading.Thread
    url: str

    @property
    def base(self) -> str:
        """The address without the token."""
        return self.url.split("/?", 1)[0]

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join()


def serve_in_thread(app: Starlette, host: str = "127.0.0.1") -> Served:
    """Start ``app`` on a free port in a background thread, once it accepts connections."""
    sock = bind(host, 0)
    srv = server(app)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    ready = threading.Event()
    for _ in range(1000):
        if srv.started or not thread.is_alive():
            break
        ready.wait(0.01)
    if not srv.started:
        raise RuntimeError("the review app did not start")
    return Served(app, srv, thread, address(sock, app.state.token))


def serve(
    outdir: str | Path, reviewer: str, port: int, lang: str, host: str, allow_remote: bool
) -> None:
    """Open the job in ``outdir`` and serve its review until Ctrl+C."""
    words = TEXT[lang]
    remote = not is_loopback(host)
    if remote and not allow_remote:
        raise ValueError(f"binding to {host} exposes the data to the network: add --allow-remote")
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise OSError(
            f"cannot listen on {host}:{port} ({exc.strerror}): try another --port"
        ) from exc
    app = create_app(outdir, reviewer, lang, loopback_only=not remote)
    if remote:
        print(words["remote"].format(host=host), file=sys.stderr, flush=True)
    print(words["started"].format(outdir=outdir), flush=True)
    print(f"    {address(sock, app.state.token)}", flush=True)
    server(app).run(sockets=[sock])

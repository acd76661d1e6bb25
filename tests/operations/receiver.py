"""A real HTTP server on loopback that plays a webhook receiver: it rejects the first
``reject_first`` attempts of every alert (503), then checks the signature and accepts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class WebhookReceiver:
    def __init__(self, secret: str, reject_first: int = 0):
        self.secret = secret.encode()
        self.reject_first = reject_first
        self.attempts: Counter[str] = Counter()
        self.accepted: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 -- the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.receive(self.headers["X-Alert-Id"], self.headers["X-Signature-256"], body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def receive(self, alert_id: str, signature: str, body: bytes) -> int:
        with self._lock:
            self.attempts[alert_id] += 1
            if self.attempts[alert_id] <= self.reject_first:
                return 503
            expected = "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, signature):
                self.bad_signatures += 1
                return 401
            self.accepted.append(json.loads(body))
            return 200

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)

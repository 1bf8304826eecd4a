"""A small client of ClamAV's daemon (clamd): ``INSTREAM`` over its Unix or TCP socket.

Used by ``portal.lib.uploads`` when ``CLAMD_SOCKET`` is set: a path (``/run/clamav/clamd.ctl``) or
``tcp://host:3310``. The protocol (clamd(8)): send ``zINSTREAM\\0``, then the file as chunks each prefixed by its
length as a 4-byte big-endian number, then a zero length; clamd answers ``stream: OK\\0``,
``stream: <signature> FOUND\\0`` or ``... ERROR\\0``.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

CHUNK = 64 * 1024


class ClamdUnavailable(Exception):
    """clamd could not be reached or answered with an error (the upload is refused: fail closed)."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("tcp://"):
        host, _, port = address.removeprefix("tcp://").rpartition(":")
        return socket.create_connection((host, int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(address)
    return sock


def scan_stream(address: str, chunks: Iterable[bytes], *, timeout: float = 30.0) -> ScanResult:
    """Stream ``chunks`` to clamd at ``address`` and return its verdict; raises ``ClamdUnavailable``."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in chunks:
                for start in range(0, len(chunk), CHUNK):
                    piece = chunk[start : start + CHUNK]
                    sock.sendall(struct.pack(">I", len(piece)) + piece)
            sock.sendall(struct.pack(">I", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = sock.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as error:
        raise ClamdUnavailable(f"clamd at {address}: {error}") from error
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("FOUND"):
        signature = text.removeprefix("stream:").removesuffix("FOUND").strip()
        return ScanResult(infected=True, signature=signature)
    if text.endswith("OK"):
        return ScanResult(infected=False)
    raise ClamdUnavailable(f"clamd at {address} answered {text[:200]!r}")

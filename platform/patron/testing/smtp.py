"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests of mail."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """Every message the server accepted, parsed, in order of arrival."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        """aiosmtpd's hook: keep the message."""
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    @property
    def config(self) -> dict:
        """The ``PATRON_SMTP_*`` settings that send to this server."""
        return smtp_config(self.port)

    def start(self) -> None:
        """Listen until :meth:`stop`."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()


def smtp_config(port: int) -> dict:
    """The ``PATRON_SMTP_*`` settings that send to ``port`` on loopback, unencrypted."""
    return {"PATRON_SMTP_HOST": "127.0.0.1", "PATRON_SMTP_PORT": port,
            "PATRON_SMTP_SECURITY": "none"}


def free_port() -> int:
    """A loopback TCP port nobody listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

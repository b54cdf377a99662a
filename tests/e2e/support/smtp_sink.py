"""A real SMTP server on loopback for the tests (aiosmtpd): every accepted message is
appended as one JSON line {to, subject, body} to the file given, body decoded to text.
While the file named by --down exists, mail is refused with 451 (a server in trouble)."""
import argparse
import asyncio
import email
import email.policy
import json
import os

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out, down):
        self.out = out
        self.down = down

    async def handle_DATA(self, server, session, envelope):
        if self.down and os.path.exists(self.down):
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "to": envelope.rcpt_tos,
            "subject": str(message["subject"] or ""),
            "body": body.get_content() if body else "",
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--down")
    args = parser.parse_args()
    controller = Controller(Sink(args.out, args.down), hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

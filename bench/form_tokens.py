#!/usr/bin/env python3
"""Form tokens for the benchmark's submits, signed exactly as Sources/App/Web/FormToken.swift does:
`issuedAt.base64url(HMAC-SHA256(security.secret, "v1␟sessionId␟formId␟issuedAt"))`.

  form_tokens.py make SECRET FORM PREFIX COUNT THREADS OUT
      writes OUT.1 … OUT.THREADS, COUNT lines "sessionId token" each (sessions PREFIX-t-i)
  form_tokens.py check SECRET FORM SESSION TOKEN
      exits 0 when TOKEN (taken from a page the app rendered) is what we would sign
"""
import base64
import hashlib
import hmac
import sys
import time


def sign(secret: bytes, session: str, form: str, issued_at: int) -> str:
    message = f"v1\x1f{session}\x1f{form}\x1f{issued_at}".encode()
    mac = hmac.new(secret, message, hashlib.sha256).digest()
    return f"{issued_at}." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def main(argv: list[str]) -> int:
    if len(argv) == 8 and argv[1] == "make":
        _, _, secret, form, prefix, count, threads, out = argv
        issued_at = int(time.time())
        for thread in range(1, int(threads) + 1):
            with open(f"{out}.{thread}", "w") as file:
                for i in range(int(count)):
                    session = f"{prefix}-{thread}-{i}"
                    file.write(f"{session} {sign(secret.encode(), session, form, issued_at)}\n")
        return 0
    if len(argv) == 6 and argv[1] == "check":
        _, _, secret, form, session, token = argv
        issued_at = int(token.split(".", 1)[0])
        return 0 if hmac.compare_digest(sign(secret.encode(), session, form, issued_at), token) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

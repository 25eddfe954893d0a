#!/usr/bin/env python3
"""Form tokens for the benchmark's submits, signed exactly as Sources/App/Web/FormToken.swift does:
`issuedAt.version.base64url(HMAC-SHA256(security.secret, "v2␟sessionId␟formId␟version␟issuedAt"))`,
where version is the form's (12 hex digits of its file's SHA-256).

  form_tokens.py make SECRET FORM VERSION PREFIX COUNT THREADS OUT
      writes OUT.1 … OUT.THREADS, COUNT lines "sessionId token" each (sessions PREFIX-t-i)
  form_tokens.py check SECRET FORM SESSION TOKEN
      exits 0 when TOKEN (taken from a page the app rendered) is what we would sign, and prints
      the version it names
"""
import base64
import hashlib
import hmac
import sys
import time


def sign(secret: bytes, session: str, form: str, version: str, issued_at: int) -> str:
    message = f"v2\x1f{session}\x1f{form}\x1f{version}\x1f{issued_at}".encode()
    mac = hmac.new(secret, message, hashlib.sha256).digest()
    return f"{issued_at}.{version}." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def main(argv: list[str]) -> int:
    if len(argv) == 9 and argv[1] == "make":
        _, _, secret, form, version, prefix, count, threads, out = argv
        issued_at = int(time.time())
        for thread in range(1, int(threads) + 1):
            with open(f"{out}.{thread}", "w") as file:
                for i in range(int(count)):
                    session = f"{prefix}-{thread}-{i}"
                    file.write(f"{session} {sign(secret.encode(), session, form, version, issued_at)}\n")
        return 0
    if len(argv) == 6 and argv[1] == "check":
        _, _, secret, form, session, token = argv
        parts = token.split(".")
        if len(parts) != 3:
            return 1
        issued_at, version = int(parts[0]), parts[1]
        if not hmac.compare_digest(sign(secret.encode(), session, form, version, issued_at), token):
            return 1
        print(version)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

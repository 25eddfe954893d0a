#!/usr/bin/env python3
"""A slow "Alvaria" for the benchmark (issue 11): the static upstream's token, context and outcome,
but the context answered only after DELAY_MS, as a real Alvaria answers in hundreds of ms.

  slow_upstream.py PORT DELAY_MS CONTEXT_CONTENT

nginx-light has no delay module, hence this: HTTP/1.1 with keep-alive on asyncio, standard library
only. A delayed answer costs a sleeping coroutine, not a thread, so a few hundred calls in flight
are cheap (thousands of context answers/s at 100 ms each, far above what the app can ask for).

It checks the API key and the bearer token as the static upstream does (401 otherwise), and
answers GET /bench/stats with {"requests": …, "context": …, "in_flight": …, "max_in_flight": …,
"tokens": …}; GET /bench/stats?reset=1 answers the same and then zeroes the counters. max_in_flight
is how many context calls the app had open at once: what its connection pool really allows.
"""
import asyncio
import json
import sys

BASE = "/via/v2/organizations/bench/customerexperience/disposableApp"
TOKEN = b'{"access_token":"bench-access-token","scope":"customerexperienceapi.disposableapp","token_type":"Bearer","expires_in":3599}'
AUTH = ("bench-api-key", "Bearer bench-access-token")

stats = {"requests": 0, "context": 0, "in_flight": 0, "max_in_flight": 0, "tokens": 0}


async def read_body(reader: asyncio.StreamReader, headers: dict) -> None:
    """Reads and drops a request body (Content-Length or chunked) so the next request parses."""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF
            if size == 0:
                return
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)


def response(status: str, body: bytes = b"", content_type: str = "application/json") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float, context: bytes) -> None:
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            method, target, _ = line.decode("latin-1").split(" ", 2)
            headers = {}
            while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            await read_body(reader, headers)
            stats["requests"] += 1
            path, _, query = target.partition("?")
            authorized = (headers.get("x-api-key"), headers.get("authorization")) == AUTH
            if path == "/tokenservice/oauth2/access_token":
                stats["tokens"] += 1
                out = response("200 OK", TOKEN)
            elif path == BASE + "/context" and method == "GET":
                if not authorized:
                    out = response("401 Unauthorized")
                else:
                    stats["context"] += 1
                    stats["in_flight"] += 1
                    stats["max_in_flight"] = max(stats["max_in_flight"], stats["in_flight"])
                    try:
                        await asyncio.sleep(delay)
                    finally:
                        stats["in_flight"] -= 1
                    out = response("200 OK", context)
            elif path == BASE + "/outcome" and method == "POST":
                out = response("204 No Content" if authorized else "401 Unauthorized")
            elif path == "/bench/stats":
                out = response("200 OK", json.dumps(stats).encode())
                if query == "reset=1":
                    stats.update(requests=0, context=0, max_in_flight=stats["in_flight"], tokens=0)
            else:
                out = response("404 Not Found", b'{"code":404,"message":"Not found."}')
            writer.write(out)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass  # a client gone or a request we do not parse: drop the connection
    finally:
        writer.close()


async def main(port: int, delay_ms: int, content: str) -> None:
    context = json.dumps({"kind": "cxp#disposableAppContext", "content": content}, separators=(",", ":")).encode()
    server = await asyncio.start_server(
        lambda r, w: serve(r, w, delay_ms / 1000, context), "127.0.0.1", port, backlog=4096
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))

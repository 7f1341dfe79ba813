#!/usr/bin/env python3
"""A SageMaker-like service model for benchmarks and tests: a loopback HTTP proxy in front of moto.

Real SageMaker differs from moto in two ways that decide how a bulk client should behave: each call takes
tens of milliseconds, and each control-plane operation is rate-limited per account (a token bucket that
answers HTTP 400 ThrottlingException "Rate exceeded" when empty). This proxy adds both:

- every request waits --latency-ms before it is answered (throttled answers too);
- one token bucket per operation (the X-Amz-Target header), --rate tokens a second, --burst deep, full at
  the start; --op-rate Op=RATE[:BURST] overrides one operation (list operations are limited lower);
- an empty bucket answers 400 {"__type":"ThrottlingException","message":"Rate exceeded"} WITHOUT forwarding;
- anything without X-Amz-Target (moto's own /moto-api/, STS) is forwarded unlimited and undelayed.

Control (not forwarded): GET /service-model/stats -> {"Operation": {"forwarded": n, "throttled": n, "first": s, "last": s,
"admitted_by_tenth": [n, ...], "throttled_by_tenth": [n, ...]}, ...};
POST /service-model/reset -> zero the counters and fill every bucket.

Loopback only, and it ends by itself: after --max-seconds, after --max-requests, or after --idle-seconds
without a request. It prints one JSON line {"url": "http://127.0.0.1:PORT"} when it is ready.

  python3 service_model.py --upstream http://127.0.0.1:5000 --rate 5 --burst 5 --latency-ms 50
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Bucket:
    def __init__(self, rate, burst):
        self.rate, self.burst = float(rate), float(burst)
        self.tokens, self.stamp = float(burst), time.monotonic()

    def take(self, now):
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Model:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.overrides = {}
        for spec in args.op_rate or []:
            op, _, value = spec.partition("=")
            rate, _, burst = value.partition(":")
            self.overrides[op] = (float(rate), float(burst) if burst else float(rate))
        self.reset()
        self.requests = 0
        self.last = time.monotonic()

    def reset(self):
        with self.lock:
            self.buckets = {}
            self.stats = {}
            self.t0 = time.monotonic()

    def admit(self, op):
        """True when the operation's bucket has a token (the call goes to moto)."""
        with self.lock:
            bucket = self.buckets.get(op)
            if bucket is None:
                rate, burst = self.overrides.get(op, (self.args.rate, self.args.burst))
                bucket = self.buckets[op] = Bucket(rate, burst)
            now = time.monotonic()
            ok = bucket.take(now)
            s = self.stats.setdefault(op, {"forwarded": 0, "throttled": 0})
            s["forwarded" if ok else "throttled"] += 1
            # When the operation's first and last admitted calls reached the bucket (seconds since reset): a timeline.
            if ok:
                s.setdefault("first", round(now - self.t0, 3))
                s["last"] = round(now - self.t0, 3)
            # Admitted and throttled calls per tenth of a second: where a client leaves the limit unused.
            tenth = int((now - self.t0) * 10)
            for key, hit in (("admitted_by_tenth", ok), ("throttled_by_tenth", not ok)):
                series = s.setdefault(key, [])
                while len(series) <= tenth:
                    series.append(0)
                if hit:
                    series[tenth] += 1
            return ok


def handler(model, upstream):
    target = urllib.parse.urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive towards the client, as a real endpoint allows

        def log_message(self, *a):
            pass

        def _reply(self, status, body, headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self):
            with model.lock:
                model.requests += 1
                model.last = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/service-model/"):
                if self.path == "/service-model/stats":
                    with model.lock:
                        data = json.dumps(model.stats).encode()
                    return self._reply(200, data, [("Content-Type", "application/json")])
                if self.path == "/service-model/reset":
                    model.reset()
                    return self._reply(200, b"{}", [("Content-Type", "application/json")])
                return self._reply(404, b"")
            amz_target = self.headers.get("X-Amz-Target")
            if amz_target:
                op = amz_target.split(".")[-1]
                time.sleep(model.args.latency_ms / 1000.0)
                if not model.admit(op):
                    return self._reply(400, json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode(),
                                       [("Content-Type", "application/x-amz-json-1.1"),
                                        ("x-amzn-RequestId", "service-model-throttle")])
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
                headers["Host"] = target.netloc
                conn.request(self.command, self.path, body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                keep = [(k, v) for k, v in r.getheaders()
                        if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date")]
                self._reply(r.status, data, keep)
            finally:
                conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True, help="moto_server URL (loopback)")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--rate", type=float, required=True, help="tokens a second per operation")
    p.add_argument("--burst", type=float, required=True, help="bucket depth per operation")
    p.add_argument("--latency-ms", type=float, default=50)
    p.add_argument("--op-rate", action="append", help="Operation=RATE[:BURST], e.g. ListModelPackages=2:2")
    p.add_argument("--max-seconds", type=float, default=1800)
    p.add_argument("--max-requests", type=int, default=200000)
    p.add_argument("--idle-seconds", type=float, default=300)
    args = p.parse_args(argv)
    host = urllib.parse.urlsplit(args.upstream).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("service_model.py forwards to loopback only, not " + args.upstream)
    model = Model(args)
    # A real endpoint accepts every connection a client opens; the standard library's listen backlog of 5 drops
    # connection attempts when 16+ clients connect at once, and a dropped SYN costs 1, 3, 7 s... of TCP retries.
    class Server(ThreadingHTTPServer):
        request_queue_size = 256

    server = Server(("127.0.0.1", args.port), handler(model, args.upstream))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"url": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
    started = time.monotonic()
    while True:
        time.sleep(0.2)
        now = time.monotonic()
        with model.lock:
            done = (now - started > args.max_seconds or model.requests >= args.max_requests
                    or now - model.last > args.idle_seconds)
        if done:
            server.shutdown()
            return


if __name__ == "__main__":
    main(sys.argv[1:])

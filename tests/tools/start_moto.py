#!/usr/bin/env python3
"""The tests' one moto starter: moto's server (SageMaker, STS, S3) on 127.0.0.1 and a free port.

Used by the xunit fixture (tests/ModelRegistry.Tests/Support/MotoServer.cs) and the Pester helpers
(tests/pester/TestHelpers.psm1). Prints the server's URL on the first line once GET /moto-api/ answers 200 and "moto <version>" on the second
(tests name it in skip reasons), then
serves until it is signalled or, with --stop-on-eof, until its standard input closes (so a test host that
dies never leaves a server behind). Loopback only: never binds another address.
"""
import argparse
import os
import signal
import sys
import threading
import time
import urllib.request

import moto
from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

READY_TIMEOUT_S = 60


def wait_until_ready(url: str, server_thread: threading.Thread) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if not server_thread.is_alive():
            sys.exit("moto server thread ended before it answered")
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"moto at {url} did not answer GET /moto-api/ within {READY_TIMEOUT_S} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stop-on-eof", action="store_true", help="stop when standard input closes")
    args = parser.parse_args()

    app = DomainDispatcherApplication(create_backend_app)
    # Port 0: the system picks a free port while binding, so two starters never race for one.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    # moto builds some URLs (e.g. presigned S3) from MOTO_PORT, as moto_server sets it.
    os.environ.setdefault("MOTO_PORT", str(server.server_port))

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    serving = threading.Thread(target=server.serve_forever, name="moto", daemon=True)
    serving.start()
    wait_until_ready(url, serving)
    print(url)
    print(f"moto {moto.__version__}", flush=True)

    if args.stop_on_eof:
        def watch_stdin() -> None:
            sys.stdin.read()
            stop.set()
        threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()

    while not stop.wait(1):
        pass
    server.shutdown()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""moto's AWS emulator for one test: Amazon Cognito user pools, domains and app clients.

Usage:
    python3 moto_server.py [--max-seconds 300]

Binds 127.0.0.1 on a free port and prints "PORT <n>" as its first line on stdout once
listening. Exits on SIGTERM/SIGINT, and by itself after --max-seconds. Needs moto's server
(pip install 'moto[server]').
"""

import argparse
import signal
import sys
import threading

from moto.server import ThreadedMotoServer


def main():
    p = argparse.ArgumentParser(description="moto server for runbook tests")
    p.add_argument("--max-seconds", type=float, default=300.0)
    args = p.parse_args()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    done = threading.Event()
    # A parent may start us with SIGTERM blocked (test runners block it in their threads).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    print("PORT %d" % server.get_host_and_port()[1], flush=True)
    done.wait(args.max_seconds if args.max_seconds > 0 else None)
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

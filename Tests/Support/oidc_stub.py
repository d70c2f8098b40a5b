#!/usr/bin/env python3
"""A stand-in for Amazon Cognito's OpenID Connect discovery endpoints, for tests.

Usage:
    python3 oidc_stub.py --port 0 --mode good \
        --region us-east-1 --pool-id us-east-1_AbCdEf123 \
        --domain appsmith-login.auth.us-east-1.amazoncognito.com

Serves, under any path prefix:
    .../.well-known/openid-configuration   the discovery document
    ...jwks.json                           the JSON Web Key Set

With --moto ENDPOINT, the pool is the one most recently created in moto's emulated Cognito
(in --region) at the time of each request, its domain the pool's domain, and the key set is
moto's own for that pool: moto serves no discovery document, so this stub does.

Modes:
    good         endpoints on https://DOMAIN/oauth2/..., as Cognito does once the
                 user pool has a domain
    issuer-host  endpoints on the issuer host, as Cognito does without a domain
    no-keys      like good, but the key set is empty
    not-json     every document is plain text, not JSON

Binds 127.0.0.1 only and prints "PORT <n>" as its first line on stdout once
listening. Exits on SIGTERM/SIGINT, and by itself after --max-seconds.
Standard library only.
"""

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = ("good", "issuer-host", "no-keys", "not-json")
KEY = {"kid": "k1", "kty": "RSA", "alg": "RS256", "e": "AQAB", "n": "abc", "use": "sig"}


def parse_args(argv):
    p = argparse.ArgumentParser(description="OIDC discovery stub for runbook tests")
    p.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    p.add_argument("--mode", choices=MODES, default="good")
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--pool-id", default="us-east-1_AbCdEf123")
    p.add_argument("--domain", default="appsmith-login.auth.us-east-1.amazoncognito.com",
                   help="Cognito domain host name, without https://")
    p.add_argument("--issuer", default=None,
                   help="issuer to report (default: https://cognito-idp.REGION.amazonaws.com/POOL)")
    p.add_argument("--moto", default=None,
                   help="moto's endpoint URL: describe the pool most recently created there")
    p.add_argument("--max-seconds", type=float, default=120.0,
                   help="stop by itself after this many seconds (0: never)")
    return p.parse_args(argv)


def documents(args):
    idp = "https://cognito-idp.%s.amazonaws.com/%s" % (args.region, args.pool_id)
    issuer = args.issuer or idp
    if args.mode == "issuer-host":
        front = idp + "/oauth2"
    else:
        front = "https://%s/oauth2" % args.domain
    config = {
        "issuer": issuer,
        "authorization_endpoint": front + "/authorize",
        "token_endpoint": front + "/token",
        "userinfo_endpoint": front + "/userInfo",
        "jwks_uri": idp + "/.well-known/jwks.json",
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }
    keys = {"keys": [] if args.mode == "no-keys" else [KEY]}
    return config, keys


def from_moto(args):
    """The documents for the newest user pool in moto, and moto's key set for it."""
    import copy
    import urllib.request

    import boto3

    client = boto3.client("cognito-idp", region_name=args.region, endpoint_url=args.moto,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    pools = client.list_user_pools(MaxResults=60)["UserPools"]
    if not pools:
        return None, None
    newest = max(pools, key=lambda p: p["CreationDate"])
    pool = client.describe_user_pool(UserPoolId=newest["Id"])["UserPool"]
    given = copy.copy(args)
    given.pool_id = pool["Id"]
    domain = pool.get("Domain")
    given.domain = "%s.auth.%s.amazoncognito.com" % (domain, args.region) if domain else ""
    if not domain:
        given.mode = "issuer-host"
    config, _ = documents(given)
    url = "%s/%s/.well-known/jwks.json" % (args.moto.rstrip("/"), pool["Id"])
    keys = json.loads(urllib.request.urlopen(url, timeout=10).read())
    return config, keys


def make_handler(args):
    config, keys = documents(args)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?", 1)[0]
            doc, jwks = config, keys
            if args.moto:
                doc, jwks = from_moto(args)
                if doc is None:
                    self.reply(404, {"error": "no user pool in the emulator"})
                    return
            if path.endswith("/.well-known/openid-configuration"):
                self.reply(200, doc)
            elif path.endswith("jwks.json"):
                self.reply(200, jwks)
            else:
                self.reply(404, {"error": "not found", "path": path})

        def reply(self, status, payload):
            if args.mode == "not-json":
                body, kind = b"<html>not json</html>\n", "text/html"
            else:
                body, kind = json.dumps(payload).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *a):  # quiet
            pass

    return Handler


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args))
    server.daemon_threads = True

    def stop(*_):
        # shutdown() blocks until serve_forever returns, so call it off the main thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    # A parent may start us with SIGTERM blocked (test runners block it in their threads, and
    # the mask is inherited): unblock it, or we would only stop at --max-seconds.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.max_seconds > 0:
        timer = threading.Timer(args.max_seconds, server.shutdown)
        timer.daemon = True
        timer.start()

    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

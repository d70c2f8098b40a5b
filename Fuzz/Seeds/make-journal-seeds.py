#!/usr/bin/env python3
"""Writes the seed state files for FuzzJournal into Seeds/journal (run from anywhere).

They follow the format of Sources/RunbookEngine/State: a header line, then one JSON event a
line with sorted keys, each carrying the SHA-256 of the line before it in `prev`.
"""
import hashlib, json, os

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "journal")
os.makedirs(here, exist_ok=True)

def line(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

header = {
    "format": "runbook-state", "version": 1, "created": "2026-11-28T10:15:30.123Z",
    "operator": "alice",
    "runbook": {"path": "guides/deploy.md", "id": "deploy", "title": "Deploy", "sha256": "ab" * 32},
    "steps": [{"id": "build", "fingerprint": "f1"}, {"id": "ship", "fingerprint": "f2"}],
}
events = [
    {"type": "started", "host": "laptop", "pid": 4242},
    {"type": "precondition-acknowledged", "index": 0},
    {"type": "input", "input": "region", "value": "eu-west-1"},
    {"type": "input", "input": "client_secret", "secret": True},
    {"type": "step-started", "step": "build"},
    {"type": "command", "step": "build", "text": "make 'eu-west-1'", "status": 0, "durationMs": 1200,
     "output": "ok\n\u00e9\u2603"},
    {"type": "check", "step": "build", "passed": False, "status": 1, "reason": "it exited with status 1"},
    {"type": "row-confirmed", "step": "build", "table": 0, "index": 2},
    {"type": "step-done", "step": "build", "fingerprint": "f1"},
    {"type": "note", "step": "ship", "text": "waiting for approval"},
    {"type": "paused"},
    {"type": "resumed", "host": "desk", "pid": 7},
    {"type": "runbook-changed", "sha256": "cd" * 32, "steps": ["ship"]},
    {"type": "step-skipped", "step": "ship", "reason": "done by hand", "fingerprint": "f2"},
    {"type": "moved-to", "from": "/old/state.jsonl"},
    {"type": "completed"},
]

def journal(n):
    lines = [line(header)]
    for i, e in enumerate(events[:n]):
        e = dict(e, seq=i + 1, at="2026-11-28T10:16:%02d.%03dZ" % (i, i * 7), operator="alice",
                 prev=hashlib.sha256(lines[-1]).hexdigest())
        lines.append(line(e))
    return b"".join(l + b"\n" for l in lines)

def write(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)

write("header-only.jsonl", journal(0))
write("three-events.jsonl", journal(3))
write("full-run.jsonl", journal(len(events)))
write("torn-tail.jsonl", journal(5)[:-20])
write("garbled-tail.jsonl", journal(4) + b"{not json}\n")
write("newer-version.jsonl", line(dict(header, version=2)) + b"\n")
write("wrong-seq.jsonl", journal(3).replace(b'"seq":2', b'"seq":7'))

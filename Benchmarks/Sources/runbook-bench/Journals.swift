import Foundation
import RunbookCore
import RunbookEngine

/// Journals of a realistic run: inputs, then per step started → command/check (with output) →
/// notes → done, with the odd pause and resume, written through the real `Journal` API (so the
/// header, sequence numbers and hash chain are the product's own).
enum JournalFixtures {
  static let base = Date(timeIntervalSince1970: 1_790_000_000)

  /// What the journals are a run of: the bundled guide when given (so `runbook status` finds
  /// it and matches real step ids), else made-up steps.
  struct Guide {
    var ref: JournalHeader.RunbookRef
    var steps: [JournalHeader.StepRef]
  }

  static func guide(_ path: String?) -> Guide {
    if let path, let text = try? String(contentsOfFile: path, encoding: .utf8) {
      let runbook = RunbookCompiler().compile(text, file: path)
      let steps = runbook.allSteps.map {
        JournalHeader.StepRef(id: $0.id, fingerprint: StepFingerprint.of($0))
      }
      if !steps.isEmpty {
        return Guide(
          ref: .init(path: path, id: runbook.id, title: runbook.title, sha256: StepFingerprint.sha256(text)),
          steps: steps)
      }
    }
    return Guide(
      ref: .init(path: "guide.md", id: "guide", title: "A guide", sha256: String(repeating: "ab", count: 32)),
      steps: (1...40).map {
        .init(id: "section-\($0 / 10)/\($0 % 10 + 1)", fingerprint: String(repeating: "cd", count: 32))
      })
  }

  static func lock() -> LockInfo {
    LockInfo(operator: "bench", pid: Int(getpid()), host: "bench-host", since: base)
  }

  static func header(_ guide: Guide) -> JournalHeader {
    JournalHeader(runbook: guide.ref, steps: guide.steps, created: base, operator: "alice")
  }

  /// The `i`-th event of a long run (0-based): inputs first, then round after round through the
  /// steps (started, command with output, check, note or table row, done), with the odd pause
  /// and resume.
  static func event(_ i: Int, steps: [JournalHeader.StepRef], rng: inout PRNG) -> Event {
    let at = base.addingTimeInterval(Double(i) * 1.5)
    let ref = steps[(i / 6) % steps.count]
    let step = ref.id
    if i == 0 { return Event(type: .started, at: at, operator: "alice", host: "admin-laptop", pid: 4242) }
    if i < 8 {
      return Event(
        type: .input, at: at, operator: "alice", input: "input_\(i)", value: "value-\(rng.int(99_999))")
    }
    if i % 600 == 0 { return Event(type: .resumed, at: at, operator: "bob", host: "ops-host", pid: 777) }
    switch i % 6 {
    case 0: return Event(type: .stepStarted, at: at, operator: "alice", step: step)
    case 1:
      let output = (0..<rng.int(1...6)).map { _ in "pod/app-\(rng.int(9999)) 1/1 Running 0 \(rng.int(99))m" }
        .joined(separator: "\n")
      return Event(
        type: .command, at: at, operator: "alice", step: step,
        text: "kubectl get pods -n team-\(rng.int(99))", status: 0, output: output,
        durationMs: rng.int(20...3000))
    case 2:
      return Event(
        type: .check, at: at, operator: "alice", step: step, text: "curl -fsS https://example.com/health",
        status: 0, passed: true, output: "{\"status\":\"ok\"}", durationMs: rng.int(50...900))
    case 3:
      return Event(
        type: .note, at: at, operator: "alice", step: step,
        text: "Checked with the network team; ticket OPS-\(rng.int(9999)).")
    case 4 where i % 600 == 598:
      return Event(type: .paused, at: at, operator: "alice", reason: "end of shift")
    case 4:
      return Event(
        type: .rowConfirmed, at: at, operator: "alice", step: step, index: rng.int(0...5), table: 0)
    default:
      return Event(type: .stepDone, at: at, operator: "alice", step: step, fingerprint: ref.fingerprint)
    }
  }

  /// Creates `path` with `count` events (fsync per event, as the product does).
  static func write(_ path: String, events count: Int, guide: Guide) throws {
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: path + ".lock")
    let journal = try Journal.create(at: path, header: header(guide), lock: lock())
    var rng = PRNG(seed: 42)
    for i in 0..<count { try journal.append(event(i, steps: guide.steps, rng: &rng)) }
    journal.close()
    try? FileManager.default.removeItem(atPath: path + ".lock")
  }
}

/// Copies `bytes` to `path` and makes the copy durable, so that the next `fsync` (the one inside
/// `append`) only has the new event to write, as in real use.
func durableCopy(_ bytes: Data, to path: String) throws {
  try? FileManager.default.removeItem(atPath: path)
  guard FileManager.default.createFile(atPath: path, contents: bytes),
    let handle = FileHandle(forUpdatingAtPath: path)
  else { throw CocoaError(.fileWriteUnknown) }
  try handle.synchronize()
  try handle.close()
}

/// `append DIR RUNS`: one append to a journal of 10 and of 10,000 events.
///
/// - `append-first`: the journal was just opened (not timed); the first `append` is timed:
///   encode, one `write(2)`, `fsync`, and recording the event in `events`.
/// - `append-next`: the second `append` on the same open journal (a running session).
/// - `open-append-close`: what a process that records one event pays: open (lock, read, parse
///   and check the whole history), append, close.
/// - `journal-read`: `Journal.read`, the unlocked read `runbook status` uses.
/// - `raw-append-first`: the floor under `append-first`, without runbook: the same fresh copy,
///   opened for appending (not timed), then one `write(2)` of the fixture's last line and
///   `fsync`, timed.
/// - `append-first-evened`: `append-first` with the same work before it for both sizes:
///   after opening, the 10,000-event journal is read (not timed), so both appends start from
///   the caches that reading 2.6 MB of history leaves, which opening 10 events does not.
///
/// Every run starts from a fresh, fsynced copy of the fixture, so each one appends to exactly N
/// events.
func appendBenchmark(dir: String, runs: Int) throws -> [Samples] {
  var results: [Samples] = []
  for n in [10, 10_000] {
    let fixture = "\(dir)/journals/j\(n).state.jsonl"
    let work = "\(dir)/journals/work-\(n).state.jsonl"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture))
    let steps = try Journal.read(at: fixture).header.steps
    var first = Samples(name: "append-first/\(n)")
    var next = Samples(name: "append-next/\(n)")
    var whole = Samples(name: "open-append-close/\(n)")
    var reads = Samples(name: "journal-read/\(n)")
    var raw = Samples(name: "raw-append-first/\(n)")
    var evened = Samples(name: "append-first-evened/\(n)")
    let lastLine = Array(bytes.split(separator: UInt8(ascii: "\n")).last ?? Data()) + [UInt8(ascii: "\n")]
    var rng = PRNG(seed: 7)
    for run in 0..<(runs + 1) {  // the first run warms up and is dropped
      let event1 = JournalFixtures.event(n + 1, steps: steps, rng: &rng)
      let event2 = JournalFixtures.event(n + 2, steps: steps, rng: &rng)
      try durableCopy(bytes, to: work)
      let journal = try Journal.open(at: work, lock: JournalFixtures.lock())
      let a = try time { try journal.append(event1) }
      let b = try time { try journal.append(event2) }
      journal.close()
      try durableCopy(bytes, to: work)
      let c = try time {
        let j = try Journal.open(at: work, lock: JournalFixtures.lock())
        try j.append(event1)
        j.close()
      }
      let d = try time { blackHole(try Journal.read(at: fixture)) }
      try durableCopy(bytes, to: work)
      let again = try Journal.open(at: work, lock: JournalFixtures.lock())
      blackHole(try Journal.read(at: "\(dir)/journals/j10000.state.jsonl"))
      let f = try time { try again.append(event1) }
      again.close()
      try durableCopy(bytes, to: work)
      let fd = open(work, O_WRONLY | O_APPEND)
      guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
      let e = time {
        _ = lastLine.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
      }
      close(fd)
      if run > 0 {
        first.seconds.append(a)
        next.seconds.append(b)
        whole.seconds.append(c)
        reads.seconds.append(d)
        raw.seconds.append(e)
        evened.seconds.append(f)
      }
    }
    try? FileManager.default.removeItem(atPath: work)
    try? FileManager.default.removeItem(atPath: work + ".lock")
    results += [first, next, whole, reads, raw, evened]
  }
  return results
}

import Foundation
import RunbookCore
import RunbookEngine

// runbook-bench: the in-process half of scripts/bench (which does the whole-process half with
// hyperfine). Every timing subcommand prints `name<TAB>median<TAB>min<TAB>max<TAB>runs` lines,
// in seconds.
//
//   runbook-bench generate DIR [GUIDE]  500 guides (~2 MB) in DIR/corpus, DIR/big.md (5 MB),
//                                       DIR/journals/j10.state.jsonl and j10000.state.jsonl, runs
//                                       of GUIDE (a path as `runbook status` will see it);
//                                       RUNBOOK_BENCH_SEED changes the seed
//   runbook-bench corpus DIR LABEL RUNS compile + lint every guide in DIR vs cmark parse of each
//   runbook-bench append DIR RUNS       append one event to journals of 10 and 10,000 events
//   runbook-bench append-once DIR N K   open the N-event journal, append K events (for callgrind)
//   runbook-bench journal-read-once FILE  Journal.read of FILE once (for callgrind)
//   runbook-bench dump FILE...          compiled JSON + lint findings (to diff two builds)
//   runbook-bench journal-dump FILE...  every event re-encoded, or the error (to diff two builds)
//   runbook-bench rss-baseline          does nothing (peak-memory baseline)
//   runbook-bench rss-read FILE         reads FILE only
//   runbook-bench rss-compile FILE      reads and compiles FILE, nothing else
//   runbook-bench rss-cmark FILE        reads FILE and parses it with cmark-gfm only
//   runbook-bench drive GUIDE CLIENTS RUNS DIR  CLIENTS threads drive RUNS runs each of GUIDE
//                                       through the library (state files in DIR); answer
//                                       latency percentiles and events per second
//   runbook-bench web PORT TOKEN GUIDE CLIENTS RUNS PAUSE  the same through the API of a
//                                       `runbook serve` on PORT (WebLoad.swift)

func usage() -> Never {
  printErr(
    "usage: runbook-bench generate DIR [GUIDE] | corpus DIR LABEL RUNS | append DIR RUNS"
      + " | web PORT TOKEN GUIDE CLIENTS RUNS PAUSE | append-once DIR N K | journal-read-once FILE | journal-dump FILE... | dump FILE..."
      + " | rss-baseline | rss-read FILE | rss-compile FILE | rss-cmark FILE")
  exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { usage() }
func arg(_ i: Int) -> String {
  guard i < args.count else { usage() }
  return args[i]
}
func runs(_ i: Int) -> Int {
  guard let n = Int(arg(i)), n > 0 else { usage() }
  return n
}

do {
  switch command {
  case "generate":
    let dir = arg(1)
    let guidePath = args.count > 2 ? args[2] : nil
    var seed: UInt64 = 20_261_128
    if let given = ProcessInfo.processInfo.environment["RUNBOOK_BENCH_SEED"] {
      guard let value = UInt64(given) else { usage() }
      seed = value
    }
    try generateGuides(into: dir, seed: seed, count: 500, totalBytes: 1_640_000, bigBytes: 5 * 1024 * 1024)
    try FileManager.default.createDirectory(atPath: dir + "/journals", withIntermediateDirectories: true)
    for n in [10, 10_000] {
      let path = "\(dir)/journals/j\(n).state.jsonl"
      try JournalFixtures.write(path, events: n, guide: JournalFixtures.guide(guidePath))
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      print("journal\t\(n) events\t\(size) bytes")
    }
  case "drive":
    for line in try driveBenchmark(guide: arg(1), clients: runs(2), runs: runs(3), stateDir: arg(4)) {
      print(line)
    }
  case "web":
    guard let port = UInt16(arg(1)), let pause = Double(arg(6)) else { usage() }
    for line in try webLoad(
      port: port, token: arg(2), guide: arg(3), clients: runs(4), runs: runs(5), pause: pause)
    {
      print(line)
    }
  case "corpus":
    for s in try corpusBenchmark(dir: arg(1), label: arg(2), runs: runs(3)) { print(s.line) }
  case "append":
    for s in try appendBenchmark(dir: arg(1), runs: runs(2)) { print(s.line) }
  case "append-once":
    // For callgrind: open a fresh copy of the N-event journal, append K events.
    let dir = arg(1)
    let n = runs(2)
    let k = runs(3)
    let work = "\(dir)/journals/profile-\(n).state.jsonl"
    try durableCopy(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/journals/j\(n).state.jsonl")), to: work)
    let journal = try Journal.open(at: work, lock: JournalFixtures.lock())
    var rng = PRNG(seed: 7)
    for i in 0..<k {
      try journal.append(JournalFixtures.event(n + 1 + i, steps: journal.header.steps, rng: &rng))
    }
    journal.close()
  case "journal-read-once":
    // For callgrind: Journal.read of one file.
    blackHole(try Journal.read(at: arg(1)))
  case "dump":
    // The compiled model and lint findings of every guide named, to check that a proposed
    // optimisation changes nothing (diff the output of two builds).
    for file in args.dropFirst() {
      let runbook = RunbookCompiler().compile(try readText(file), file: file)
      print(RunbookJSON.encode(runbook))
      for d in Linter().lint(runbook) { print(d.formatted) }
    }
  case "journal-dump":
    // Every event of each journal named, re-encoded, or the error: to check that a change to
    // journal reading changes nothing (diff the output of two builds).
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .millisecondsSince1970
    for file in args.dropFirst() {
      do {
        let contents = try Journal.read(at: file)
        print(file, contents.events.count, contents.warnings)
        for e in contents.events { print(String(decoding: try encoder.encode(e), as: UTF8.self)) }
      } catch {
        print(file, "error:", error)
      }
    }
  case "rss-baseline":
    break
  case "rss-read":
    blackHole(try readText(arg(1)))
  case "rss-compile":
    let file = arg(1)
    blackHole(RunbookCompiler().compile(try readText(file), file: file))
  case "rss-cmark":
    blackHole(cmarkParse(try readText(arg(1))))
  default:
    usage()
  }
} catch {
  printErr("runbook-bench: \(error)")
  exit(1)
}

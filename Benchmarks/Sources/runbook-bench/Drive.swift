import Foundation
import RunbookCore
import RunbookEngine

/// The library half of the web benchmark: `clients` threads, each driving `runs` runs of
/// `guide` through RunLauncher and Session (answer each input, confirm each row, done each
/// step) with state files in `stateDir`, timing every answer. The same work `scripts/bench
/// --web` sends through `runbook serve`'s API, without HTTP.
func driveBenchmark(guide: String, clients: Int, runs: Int, stateDir: String) throws -> [String] {
  struct NoCommands: ProcessRunner {
    func run(_ request: ProcessRequest, output: @escaping @Sendable (String) -> Void) -> ProcessResult {
      ProcessResult(status: 0)
    }
  }
  try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
  return try loadBenchmark(prefix: "library", clients: clients) { client, work in
    let launcher = RunLauncher(store: FileStore(stateDirectory: stateDir), runner: NoCommands())
    for r in 0..<runs {
      let request = RunRequest(
        guidePath: guide, run: RunID("\(stateDir)/c\(client)-r\(r).state.jsonl"),
        operatorName: "bench\(client)",
        host: "bench", pid: 1)
      let launched = try launcher.launch(request)
      defer { launched.journal.close() }
      let session = launched.session
      let before = launched.journal.events.count
      while session.state.completed == nil {
        let answer: Answer
        switch session.next() {
        case .input: answer = .value("value-\(client)")
        case .confirmRow: answer = .confirm
        case .precondition: answer = .acknowledge
        default: answer = .done
        }
        let t = now()
        _ = try session.answer(answer)
        work.latencies.append(Double(now() - t) / 1e9)
      }
      work.events += launched.journal.events.count - before
    }
  }
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

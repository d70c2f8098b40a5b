import Foundation
import RunbookCore
import RunbookEngine
import Synchronization

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
  let latencies = Mutex<[Double]>([])
  let events = Mutex(0)
  let failures = Mutex<[String]>([])
  let start = now()
  // One thread per client, as the server gives each run a queue of its own (concurrentPerform
  // would run only as many at once as there are cores).
  let group = DispatchGroup()
  for client in 0..<clients {
    group.enter()
    Thread {
      defer { group.leave() }
      let launcher = RunLauncher(store: FileStore(stateDirectory: stateDir), runner: NoCommands())
      var mine: [Double] = []
      var appended = 0
      do {
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
            mine.append(Double(now() - t) / 1e9)
          }
          appended += launched.journal.events.count - before
        }
      } catch {
        failures.withLock { $0.append("\(error)") }
      }
      latencies.withLock { $0 += mine }
      events.withLock { $0 += appended }
    }.start()
  }
  group.wait()
  let elapsed = Double(now() - start) / 1e9
  if let failure = failures.withLock({ $0.first }) { throw BenchError(failure) }
  let sorted = latencies.withLock { $0.sorted() }
  func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
  let total = events.withLock { $0 }
  return [
    "library-answer-p50\t\(percentile(0.5))", "library-answer-p99\t\(percentile(0.99))",
    "library-answers\t\(sorted.count)", "library-events-per-second\t\(Double(total) / elapsed)",
    "library-seconds\t\(elapsed)",
  ]
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

import Foundation
import Synchronization

/// What one client of a load benchmark did: the time of each answer, and the events appended.
struct ClientWork {
  var latencies: [Double] = []
  var events = 0
}

/// Runs `clients` clients at once, one thread each (as the server gives each run a queue of its
/// own; concurrentPerform would run only as many at once as there are cores), and prints their
/// answers' round trips as `PREFIX-answer-p50`, `-p99`, `-answers`, `-answers-per-second`,
/// `-events-per-second` and `-seconds` lines. The first failure of any client is thrown.
func loadBenchmark(
  prefix: String, clients: Int, _ client: @escaping @Sendable (Int, inout ClientWork) throws -> Void
)
  throws -> [String]
{
  let done = Mutex(ClientWork())
  let failures = Mutex<[String]>([])
  let start = now()
  let group = DispatchGroup()
  for index in 0..<clients {
    group.enter()
    Thread {
      defer { group.leave() }
      var work = ClientWork()
      do { try client(index, &work) } catch { failures.withLock { $0.append("client \(index): \(error)") } }
      done.withLock {
        $0.latencies += work.latencies
        $0.events += work.events
      }
    }.start()
  }
  group.wait()
  let elapsed = Double(now() - start) / 1e9
  if let failure = failures.withLock({ $0.first }) { throw BenchError(failure) }
  let (sorted, events) = done.withLock { ($0.latencies.sorted(), $0.events) }
  guard !sorted.isEmpty else { throw BenchError("no answer was timed") }
  func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
  return [
    "\(prefix)-answer-p50\t\(percentile(0.5))", "\(prefix)-answer-p99\t\(percentile(0.99))",
    "\(prefix)-answers\t\(sorted.count)", "\(prefix)-answers-per-second\t\(Double(sorted.count) / elapsed)",
    "\(prefix)-events-per-second\t\(Double(events) / elapsed)", "\(prefix)-seconds\t\(elapsed)",
  ]
}

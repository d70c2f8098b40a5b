import Dispatch

/// Runs short blocking work (reading a journal, compiling a guide, listing folders) on a
/// Dispatch queue, never on Swift concurrency's cooperative pool, and waits for it.
enum Blocking {
  static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
  }
}

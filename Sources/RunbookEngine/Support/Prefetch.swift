import Foundation

/// A value computed on a thread of its own while the caller goes on; ``value`` waits for it.
/// `status` and `report` compile the guide this way while they read the journal, so the two
/// use both cores.
public final class Prefetch<Value: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  /// Written once by the thread before it signals `done`; read only after waiting for it.
  private var result: Value?

  public init(_ work: @escaping @Sendable () -> Value) {
    let thread = Thread { [self] in
      result = work()
      done.signal()
    }
    thread.start()
  }

  /// The value, once the thread has computed it.
  public var value: Value {
    done.wait()
    defer { done.signal() }
    return result!
  }
}

import Foundation
import RunbookEngine
import Synchronization

/// What a page or API client watching a run receives: each journal event as it is appended,
/// and the output of a running command as it streams (already masked).
public enum FeedItem: Sendable {
  case event(Event)
  case output(String)
  /// Who drives the run changed (taken, released), or a command started: fetch the state again.
  case changed
  /// Nothing happened; keeps the connection open.
  case ping
}

/// The subscribers of one run: each gets every item published after it subscribed. Items
/// published for events carry their sequence number, so an event is delivered once even when it
/// comes both from this server's own append and from watching the store.
final class RunFeed: Sendable {
  private struct State {
    var subscribers: [UUID: AsyncStream<FeedItem>.Continuation] = [:]
    var lastSeq = 0
    /// When a watcher may read the run again (see ``RunHub/watch()``).
    var nextRead: ContinuousClock.Instant?
  }

  private let state = Mutex(State())

  /// Subscribes; the stream ends when the subscriber stops reading (the connection closed).
  func subscribe() -> AsyncStream<FeedItem> {
    let id = UUID()
    let (stream, continuation) = AsyncStream<FeedItem>.makeStream(bufferingPolicy: .bufferingNewest(4096))
    continuation.onTermination = { [weak self] _ in
      self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
    }
    state.withLock { $0.subscribers[id] = continuation }
    return stream
  }

  var hasSubscribers: Bool { state.withLock { !$0.subscribers.isEmpty } }

  /// The highest sequence number published (or known when the feed started).
  var lastSeq: Int {
    state.withLock { $0.lastSeq }
  }

  /// True when a watcher may read the run now.
  func due(at now: ContinuousClock.Instant) -> Bool {
    state.withLock { $0.nextRead.map { $0 <= now } ?? true }
  }

  /// Sets when a watcher may read the run next.
  func readAgain(at instant: ContinuousClock.Instant) {
    state.withLock { $0.nextRead = instant }
  }

  /// Notes the journal's length without publishing (when a watcher first reads a run).
  func know(seq: Int) {
    state.withLock { $0.lastSeq = max($0.lastSeq, seq) }
  }

  /// Publishes the events not published yet, in order.
  func publish(_ events: [Event]) {
    state.withLock { state in
      for event in events where event.seq > state.lastSeq {
        state.lastSeq = event.seq
        for continuation in state.subscribers.values { continuation.yield(.event(event)) }
      }
    }
  }

  func publish(_ item: FeedItem) {
    state.withLock { state in
      for continuation in state.subscribers.values { continuation.yield(item) }
    }
  }

  /// Ends every subscription (the server stops).
  func finish() {
    let all = state.withLock { state in
      defer { state.subscribers = [:] }
      return Array(state.subscribers.values)
    }
    for continuation in all { continuation.finish() }
  }
}

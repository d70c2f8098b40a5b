import Foundation
import HTTPTypes
import Hummingbird
import RunbookEngine
import ServiceLifecycle

/// A run's events as Server-Sent Events: first the journal's events after `?after=SEQ` (or the
/// `Last-Event-ID` a reconnecting browser sends), read from the store, then each event as it is
/// appended (by this server, or by another process while it is watched), the output of running
/// commands, and `changed` when who drives the run or what it is doing changes.
///
/// ```
/// id: 12
/// event: journal
/// data: {"seq":12,"type":"step-done",...}
///
/// event: output
/// data: {"text":"User pool us-east-1_… is in region us-east-1\n"}
/// ```
struct EventStream: Sendable {
  let app: WebApp

  func response(_ request: Request, _ key: String) async throws -> Response {
    let run = try await app.run(key)
    let lastID = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int($0) }
    let after = lastID ?? request.uri.queryParameters["after"].flatMap { Int(String($0)) } ?? 0
    let feed = app.hub.feed(for: run)
    // Subscribe before reading, so nothing appended in between is missed (duplicates are
    // dropped by sequence number).
    let stream = feed.subscribe()
    let store = app.hub.store
    let backlog = await Blocking.run { (try? store.read(run).events) ?? [] }
    feed.know(seq: backlog.last?.seq ?? 0)
    let missed = backlog.filter { $0.seq > after }
    let body = ResponseBody { writer in
      var sent = after
      try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
      for event in missed {
        try await writer.write(ByteBuffer(string: Self.frame(event)))
        sent = event.seq
      }
      // A stream never ends by itself: end it when the server shuts down, or the shutdown
      // would wait for every open page.
      try await withGracefulShutdownHandler {
        for await item in stream {
          switch item {
          case .event(let event):
            guard event.seq > sent else { continue }
            sent = event.seq
            try await writer.write(ByteBuffer(string: Self.frame(event)))
          case .output(let text):
            try await writer.write(
              ByteBuffer(string: "event: output\ndata: " + Self.json(["text": text]) + "\n\n"))
          case .changed:
            try await writer.write(ByteBuffer(string: "event: changed\ndata: {}\n\n"))
          case .ping:
            try await writer.write(ByteBuffer(string: ": ping\n\n"))
          }
        }
      } onGracefulShutdown: {
        feed.finish()
      }
      try await writer.finish(nil)
    }
    return Response(
      status: .ok,
      headers: [
        .contentType: "text/event-stream", .cacheControl: "no-store",
        HTTPField.Name("X-Accel-Buffering")!: "no",
      ],
      body: body)
  }

  static func frame(_ event: Event) -> String {
    "id: \(event.seq)\nevent: journal\ndata: " + eventJSON(event) + "\n\n"
  }

  /// An event as JSON on one line, with the journal's keys and dates.
  static func eventJSON(_ event: Event) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(JournalDateFormat.timestamp(date))
    }
    return (try? encoder.encode(event)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  static func json(_ value: [String: String]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}

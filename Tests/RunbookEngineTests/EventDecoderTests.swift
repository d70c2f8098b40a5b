import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookEngine

/// The journal's own line reader must read exactly what `JSONDecoder` reads: on random events
/// of every type with every field, and on lines written by hand in other JSON spellings (where
/// it may decline, and the caller asks `JSONDecoder`).
@Suite struct EventDecoderTests {
  struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func bool() -> Bool { next() & 1 == 0 }
    mutating func string() -> String {
      let pieces = [
        "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{0}", "\u{1B}", "\u{7F}", "é", "ß", "日本",
        "🎉", "\u{301}", "\u{2028}", "'", "{", "}", "[", "]", ":", ",", "null", "true", "-1", "\u{FEFF}",
      ]
      return (0..<int(8)).map { _ in pieces[int(pieces.count)] }.joined()
    }
    mutating func maybe<T>(_ make: (inout Random) -> T) -> T? { bool() ? make(&self) : nil }
  }

  static let types: [EventType] = [
    .started, .resumed, .input, .inputChanged, .stepDone, .command, .check, .commandStarted, .note,
    .runbookChanged,
    .interrupted, .completed,
  ]

  func randomEvent(_ r: inout Random) -> Event {
    var e = Event(
      type: Self.types[r.int(Self.types.count)],
      at: Date(timeIntervalSince1970: Double(r.int(4_000_000_000)) / 7),
      operator: r.string())
    e.seq = r.int(1_000_000) + 1
    e.prev = r.string()
    e.step = r.maybe { $0.string() }
    e.input = r.maybe { $0.string() }
    e.value = r.maybe { $0.string() }
    e.secret = r.maybe { $0.bool() }
    e.index = r.maybe { $0.int(100) - 50 }
    e.table = r.maybe { $0.int(10) }
    e.reason = r.maybe { $0.string() }
    e.text = r.maybe { $0.string() }
    e.status = r.maybe { $0.int(300) - 10 }
    e.passed = r.maybe { $0.bool() }
    e.interrupted = r.maybe { $0.bool() }
    e.output = r.maybe { $0.string() }
    e.variables = r.maybe { r in (0..<r.int(4)).map { _ in r.string() } }
    e.durationMs = r.maybe { $0.int(Int(Int32.max)) }
    e.host = r.maybe { $0.string() }
    e.pid = r.maybe { $0.int(1 << 22) }
    e.from = r.maybe { $0.string() }
    e.steps = r.maybe { r in (0..<r.int(4)).map { _ in r.string() } }
    e.fingerprint = r.maybe { $0.string() }
    e.sha256 = r.maybe { $0.string() }
    e.content = r.maybe { $0.string() }
    e.page = r.maybe { $0.string() }
    e.moved = r.maybe { r in
      Dictionary((0..<r.int(3)).map { _ in (r.string(), r.string()) }, uniquingKeysWith: { a, _ in a })
    }
    return e
  }

  @Test func randomEventsReadTheSameAsWithJSONDecoder() throws {
    var r = Random(state: 42)
    let encoder = JournalCoding.makeEncoder()
    let decoder = JournalCoding.makeDecoder()
    var checked = 0
    for _ in 0..<20_000 {
      let event = randomEvent(&r)
      let line = try #require(JournalCoding.line(event, encoder: encoder))
      let expected = try decoder.decode(Event.self, from: Data(line))
      let fast = EventDecoder.decode(line[...])
      #expect(fast == expected, "\(String(decoding: line, as: UTF8.self))")
      if fast != nil { checked += 1 }
    }
    #expect(checked == 20_000, "every line the journal writes is read without JSONDecoder")
  }

  @Test(arguments: [
    #"{"at":"2026-11-28T10:00:00Z","operator":"a","prev":"x","seq":1,"type":"note","text":"a\/b \u00e9 \ud83c\udf89"}"#,
    #"{ "seq" : 2 , "at" : "2026-11-28T10:00:00.5Z", "operator":"a", "prev":"x", "type":"note", "step": null }"#,
    #"{"seq":3,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"note","future":{"k":[1,2,{"x":"]"}]},"later":17.5}"#,
    #"{"seq":4,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"note","index":1.0}"#,
    #"{"seq":5,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"no-such-type"}"#,
    #"{"seq":6,"at":"not a date","operator":"a","prev":"x","type":"note"}"#,
    #"{"seq":7,"operator":"a","prev":"x","type":"note"}"#,
    #"{"seq":8,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"note","passed":"yes"}"#,
    #"{"seq":9,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"note"} trailing"#,
    #"{"s\u0065q":10,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"note"}"#,
    #"{"seq":11,"at":"2026-11-28T10:00:00.000Z","operator":"a","prev":"x","type":"note","steps2":["a"],"tex":"b"}"#,
  ])
  func otherSpellingsReadTheSameOrAreLeftToJSONDecoder(_ line: String) {
    let bytes = Array(line.utf8)
    let expected = try? JournalCoding.makeDecoder().decode(Event.self, from: Data(bytes))
    let fast = EventDecoder.decode(bytes[...])
    if let fast { #expect(fast == expected) }
    if expected == nil { #expect(fast == nil) }
  }
}

import Foundation
import Testing

@testable import RunbookEngine

/// The journal's own line writer must write exactly the bytes `JSONEncoder` writes: the hash
/// chain covers them, and a line written by one build must read the same in any other.
@Suite struct EventEncoderTests {
  @Test func randomEventsWriteTheSameBytesAsJSONEncoder() throws {
    var r = EventDecoderTests.Random(state: 7)
    let encoder = JournalCoding.makeEncoder()
    let events = EventDecoderTests()
    var written = 0
    for _ in 0..<20_000 {
      var event = events.randomEvent(&r)
      event.at = JournalDateFormat.rounded(event.at)
      let expected = try #require(JournalCoding.line(event, encoder: encoder))
      guard let fast = EventEncoder.line(event) else {
        #expect(event.moved != nil, "only events with a moved map are left to JSONEncoder")
        continue
      }
      #expect(fast == expected, "\(String(decoding: expected, as: UTF8.self))")
      written += 1
    }
    #expect(written > 9_000)
  }

  @Test func everyControlCharacterIsEscapedAsJSONEncoderDoes() throws {
    var event = Event(type: .note, at: Date(timeIntervalSince1970: 0), operator: "a")
    event.text = String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }) + "/\u{2028}é🎉"
    let expected = try #require(JournalCoding.line(event, encoder: JournalCoding.makeEncoder()))
    #expect(EventEncoder.line(event) == expected)
  }
}

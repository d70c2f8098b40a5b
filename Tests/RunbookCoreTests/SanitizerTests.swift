import Testing

@testable import RunbookCore

@Suite struct SanitizerTests {
  @Test func oneLineOutputHasNoNewlines() {
    // A note or failure with a newline but no other control character must still become one line.
    #expect(Sanitizer.terminal("first\nsecond", keepNewlines: false) == "first second")
    #expect(Sanitizer.terminal("first\nsecond", keepNewlines: true) == "first\nsecond")
  }

  @Test func escapesAndBidiControlsAreShownNotPassedOn() {
    #expect(Sanitizer.terminal("a\u{1B}[31mred") == "a^[[31mred")
    #expect(Sanitizer.terminal("x\u{7F}") == "x^?")
    #expect(Sanitizer.terminal("c1\u{9B}2J") == "c1<U+009B>2J")
    #expect(Sanitizer.terminal("abc\u{202E}def\u{2069}") == "abc<U+202E>def<U+2069>")
  }

  /// Text without anything to clean comes back as it is; text with something to clean comes back
  /// with none of it left. Random scalars around every boundary of the byte-level check.
  @Test func randomTextComesBackCleanAndOtherwiseUnchanged() {
    let interesting: [UInt32] = [
      0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0xC2, 0xE9, 0x2029,
      0x2029, 0x202A, 0x202E, 0x202F, 0x2065, 0x2066, 0x2069, 0x206A, 0x20AC, 0x1F600,
    ]
    var state: UInt64 = 7
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    for _ in 0..<20_000 {
      var text = ""
      for _ in 0..<(next() % 8) {
        text.unicodeScalars.append(Unicode.Scalar(interesting[next() % interesting.count])!)
      }
      for keepNewlines in [true, false] {
        let out = Sanitizer.terminal(text, keepNewlines: keepNewlines)
        let dirty = text.unicodeScalars.contains { Sanitizer.isControl($0) || (!keepNewlines && $0 == "\n") }
        #expect(dirty == (out != text), "\(text.debugDescription)")
        #expect(!out.unicodeScalars.contains { Sanitizer.isControl($0) || (!keepNewlines && $0 == "\n") })
      }
    }
  }
}

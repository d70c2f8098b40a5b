import Foundation

/// Reads one journal line into an ``Event``, without `JSONDecoder`: `status` and reports read
/// every line of a journal, and `JSONDecoder` costs about 15 µs a line (10,000 events: 150 ms,
/// three times the `status` target). The format is the journal's own, flat JSON written by
/// ``JournalCoding``; anything else (an unknown key or value shape, a missing key) gives nil, and the
/// caller falls back to `JSONDecoder` for the same result and message. One `case` per field in
/// `Key` and in the reader's `switch`; `EventDecoderTests` compares the two on random events and
/// every journal the tests keep.
enum EventDecoder {
  static func decode(_ line: ArraySlice<UInt8>) -> Event? {
    line.withUnsafeBufferPointer(decode)
  }

  static func decode(_ line: UnsafeBufferPointer<UInt8>) -> Event? {
    var reader = Reader(bytes: line)
    return reader.event()
  }

  private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    mutating func event() -> Event? {
      var seq: Int?
      var at: Date?
      var operatorName: String?
      var type: EventType?
      var prev: String?
      var e = Event(type: .note, at: Date(timeIntervalSince1970: 0), operator: "")
      skipSpace()
      guard take(UInt8(ascii: "{")) else { return nil }
      skipSpace()
      if take(UInt8(ascii: "}")) { return nil }
      repeat {
        skipSpace()
        // A key this reader does not know (a field added to Event but not here, or written by a
        // later version) or one written with escapes: JSONDecoder reads the line, so no field
        // is ever lost, only speed.
        guard let key = key() else { return nil }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        switch key {
        case .seq: seq = int()
        case .at: at = date()
        case .operator: operatorName = string()
        case .type: type = string().flatMap(EventType.init(rawValue:))
        case .prev: prev = string()
        case .step: guard optional({ e.step = $0.string() }) else { return nil }
        case .input: guard optional({ e.input = $0.string() }) else { return nil }
        case .value: guard optional({ e.value = $0.string() }) else { return nil }
        case .secret: guard optional({ e.secret = $0.bool() }) else { return nil }
        case .index: guard optional({ e.index = $0.int() }) else { return nil }
        case .table: guard optional({ e.table = $0.int() }) else { return nil }
        case .reason: guard optional({ e.reason = $0.string() }) else { return nil }
        case .text: guard optional({ e.text = $0.string() }) else { return nil }
        case .status: guard optional({ e.status = $0.int() }) else { return nil }
        case .passed: guard optional({ e.passed = $0.bool() }) else { return nil }
        case .interrupted: guard optional({ e.interrupted = $0.bool() }) else { return nil }
        case .output: guard optional({ e.output = $0.string() }) else { return nil }
        case .variables: guard optional({ e.variables = $0.strings() }) else { return nil }
        case .durationMs: guard optional({ e.durationMs = $0.int() }) else { return nil }
        case .host: guard optional({ e.host = $0.string() }) else { return nil }
        case .pid: guard optional({ e.pid = $0.int() }) else { return nil }
        case .from: guard optional({ e.from = $0.string() }) else { return nil }
        case .steps: guard optional({ e.steps = $0.strings() }) else { return nil }
        case .fingerprint: guard optional({ e.fingerprint = $0.string() }) else { return nil }
        case .sha256: guard optional({ e.sha256 = $0.string() }) else { return nil }
        case .content: guard optional({ e.content = $0.string() }) else { return nil }
        case .moved: guard optional({ e.moved = $0.stringMap() }) else { return nil }
        case .page: guard optional({ e.page = $0.string() }) else { return nil }
        }
        skipSpace()
      } while take(UInt8(ascii: ","))
      guard take(UInt8(ascii: "}")) else { return nil }
      skipSpace()
      guard i == bytes.count, let seq, let at, let operatorName, let type, let prev else { return nil }
      e.seq = seq
      e.at = at
      e.operator = operatorName
      e.type = type
      e.prev = prev
      return e
    }

    /// A value that may be `null` (nil, as JSONDecoder reads an optional); false when the value
    /// is not what `read` expects.
    mutating func optional(_ read: (inout Reader) -> Void) -> Bool {
      if peek("null") {
        i += 4
        return true
      }
      let before = i
      read(&self)
      return i > before && !failed
    }

    var failed = false

    mutating func fail<T>() -> T? {
      failed = true
      return nil
    }

    func peek(_ word: StaticString) -> Bool {
      let count = word.utf8CodeUnitCount
      guard i + count <= bytes.count else { return false }
      return word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[i + $0] == w[$0] } }
    }

    mutating func take(_ byte: UInt8) -> Bool {
      guard i < bytes.count, bytes[i] == byte else { return false }
      i += 1
      return true
    }

    mutating func skipSpace() {
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
        i += 1
      }
    }

    mutating func bool() -> Bool? {
      if peek("true") {
        i += 4
        return true
      }
      if peek("false") {
        i += 5
        return false
      }
      return fail()
    }

    /// An integer as JSONDecoder accepts it for `Int`: no fraction or exponent.
    mutating func int() -> Int? {
      let start = i
      if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
      let digits = i
      while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
      guard i > digits, i - start <= 19 else { return fail() }
      if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] | 0x20 == UInt8(ascii: "e") {
        return fail()
      }
      var value = 0
      for k in digits..<i {
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(Int(bytes[k] - 0x30))
        guard !o1, !o2 else { return fail() }
        value = sum
      }
      // Accumulated as a positive number: Int.min overflows and the line goes to JSONDecoder.
      return digits > start ? -value : value
    }

    /// A date as ``JournalDateFormat`` writes it, read from the bytes without making a string.
    mutating func date() -> Date? {
      guard take(UInt8(ascii: "\"")) else { return fail() }
      let start = i
      while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return fail() }
      i += 1
      return JournalDateFormat.parse(utf8: UnsafeBufferPointer(rebasing: bytes[start..<i - 1])) ?? fail()
    }

    /// A key, matched on its bytes: making a string of each key and comparing it with every
    /// case was a tenth of reading a journal.
    mutating func key() -> Key? {
      guard take(UInt8(ascii: "\"")) else { return fail() }
      let start = i
      while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return fail() }
      i += 1
      return Key(UnsafeBufferPointer(rebasing: bytes[start..<i - 1]))
    }

    mutating func string() -> String? {
      guard take(UInt8(ascii: "\"")) else { return fail() }
      let start = i
      var high: UInt8 = 0
      while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20
      {
        high |= bytes[i]
        i += 1
      }
      guard i < bytes.count else { return fail() }
      if bytes[i] == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
        i += 1
        // ASCII needs no validation; `String(validating:as:)` is generic and costs a metadata
        // lookup per call, which was a sixth of `status` on a long journal.
        if high < 0x80 { return String(decoding: raw, as: UTF8.self) }
        return String(validating: raw, as: UTF8.self) ?? fail()
      }
      guard bytes[i] == UInt8(ascii: "\\") else { return fail() }  // a control character
      var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
      while i < bytes.count {
        let c = bytes[i]
        if c == UInt8(ascii: "\"") {
          i += 1
          // Bytes from `\u` escapes are valid UTF-8 by construction; only raw ones need checking.
          if high < 0x80 { return String(decoding: out, as: UTF8.self) }
          return String(validating: out, as: UTF8.self) ?? fail()
        }
        guard c >= 0x20 else { return fail() }
        guard c == UInt8(ascii: "\\") else {
          high |= c
          out.append(c)
          i += 1
          continue
        }
        guard i + 1 < bytes.count else { return fail() }
        let escaped = bytes[i + 1]
        i += 2
        switch escaped {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          guard var scalar = hex4() else { return fail() }
          if (0xD800..<0xDC00).contains(scalar) {
            guard peek("\\u") else { return fail() }
            i += 2
            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return fail() }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { return fail() }
          out.append(contentsOf: String(Character(unicode)).utf8)
        default: return fail()
        }
      }
      return fail()
    }

    mutating func hex4() -> UInt32? {
      guard i + 4 <= bytes.count else { return nil }
      var value: UInt32 = 0
      for k in 0..<4 {
        guard let digit = bytes[i + k].hexValue else { return nil }
        value = value << 4 | UInt32(digit)
      }
      i += 4
      return value
    }

    mutating func strings() -> [String]? {
      guard take(UInt8(ascii: "[")) else { return fail() }
      var out: [String] = []
      skipSpace()
      if take(UInt8(ascii: "]")) { return out }
      repeat {
        skipSpace()
        guard let s = string() else { return fail() }
        out.append(s)
        skipSpace()
      } while take(UInt8(ascii: ","))
      return take(UInt8(ascii: "]")) ? out : fail()
    }

    mutating func stringMap() -> [String: String]? {
      guard take(UInt8(ascii: "{")) else { return fail() }
      var out: [String: String] = [:]
      skipSpace()
      if take(UInt8(ascii: "}")) { return out }
      repeat {
        skipSpace()
        guard let key = string() else { return fail() }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return fail() }
        skipSpace()
        guard let value = string() else { return fail() }
        out[key] = value
        skipSpace()
      } while take(UInt8(ascii: ","))
      return take(UInt8(ascii: "}")) ? out : fail()
    }

  }
}

/// The keys of an event line: one per field of ``Event``.
private enum Key: String, CaseIterable {
  case seq, at, `operator`, type, prev, step, input, value, secret, index, table, reason, text, status
  case passed, interrupted, output, variables, durationMs, host, pid, from, steps, fingerprint, sha256
  case content, moved, page

  private static let names = allCases.map { ($0, Array($0.rawValue.utf8)) }

  /// The key spelled `bytes`, if any.
  init?(_ bytes: UnsafeBufferPointer<UInt8>) {
    for (key, name) in Self.names where name.count == bytes.count {
      if name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) }) == 0 {
        self = key
        return
      }
    }
    return nil
  }
}

extension UInt8 {
  /// The value of an ASCII hex digit.
  fileprivate var hexValue: UInt8? {
    switch self {
    case 0x30...0x39: self - 0x30
    case 0x41...0x46: self - 0x41 + 10
    case 0x61...0x66: self - 0x61 + 10
    default: nil
    }
  }
}

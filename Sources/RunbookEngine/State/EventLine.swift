import Foundation

/// A fast path for reading one journal line as an ``Event``: a flat JSON object with string,
/// integer, boolean, null and string-array values, which is all the journal writes. `Codable`
/// spends about 65,000 instructions an event on Linux (a generic `Optional` metadata lookup per
/// key), three quarters of reading a long journal; this reads the same line in a few thousand.
///
/// It returns nil for anything it does not read exactly like `JSONDecoder` would (escapes it
/// cannot decode, invalid UTF-8, fractions or exponents, nested values under unknown keys,
/// duplicate keys, a missing required key, a bad date or type): the caller then decodes the
/// line with `JSONDecoder`, which gives the same result or the same error as before.
enum EventLine {
  static func decode(_ line: ArraySlice<UInt8>) -> Event? {
    line.withUnsafeBufferPointer { buffer in
      var reader = Reader(bytes: buffer)
      return reader.event()
    }
  }

  private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipSpace() {
      while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
        i += 1
      }
    }

    mutating func take(_ byte: UInt8) -> Bool {
      skipSpace()
      guard i < bytes.count, bytes[i] == byte else { return false }
      i += 1
      return true
    }

    mutating func literal(_ word: StaticString) -> Bool {
      let n = word.utf8CodeUnitCount
      guard i + n <= bytes.count else { return false }
      for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
      i += n
      return true
    }

    /// The raw bytes of a key, which must be plain ASCII without escapes.
    mutating func key() -> UnsafeBufferPointer<UInt8>? {
      guard take(0x22) else { return nil }
      let start = i
      while i < bytes.count, bytes[i] != 0x22 {
        if bytes[i] == 0x5C || bytes[i] < 0x20 || bytes[i] >= 0x80 { return nil }
        i += 1
      }
      guard i < bytes.count else { return nil }
      let k = UnsafeBufferPointer(rebasing: bytes[start..<i])
      i += 1
      return k
    }

    mutating func string() -> String? {
      guard take(0x22) else { return nil }
      let start = i
      // The common case: no escapes. ASCII (every byte below 0x80) needs no UTF-8 validation.
      var high: UInt8 = 0
      while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C {
        if bytes[i] < 0x20 { return nil }
        high |= bytes[i]
        i += 1
      }
      guard i < bytes.count else { return nil }
      if bytes[i] == 0x22 {
        defer { i += 1 }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
        return high < 0x80 ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
      }
      var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
      while i < bytes.count {
        let b = bytes[i]
        if b == 0x22 {
          i += 1
          return String(validating: out, as: UTF8.self)
        }
        if b < 0x20 { return nil }
        if b != 0x5C {
          out.append(b)
          i += 1
          continue
        }
        guard i + 1 < bytes.count else { return nil }
        let e = bytes[i + 1]
        i += 2
        switch e {
        case 0x22, 0x5C, 0x2F: out.append(e)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x75:
          guard var scalar = hex4() else { return nil }
          if (0xD800..<0xDC00).contains(scalar) {
            // A surrogate pair: `\uD83D\uDE00`.
            guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return nil }
            i += 2
            guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let u = Unicode.Scalar(scalar) else { return nil }
          out.append(contentsOf: String(Character(u)).utf8)
        default: return nil
        }
      }
      return nil
    }

    mutating func hex4() -> UInt32? {
      guard i + 4 <= bytes.count else { return nil }
      var v: UInt32 = 0
      for _ in 0..<4 {
        let c = bytes[i]
        let d: UInt32
        switch c {
        case 0x30...0x39: d = UInt32(c - 0x30)
        case 0x41...0x46: d = UInt32(c - 0x41 + 10)
        case 0x61...0x66: d = UInt32(c - 0x61 + 10)
        default: return nil
        }
        v = v << 4 | d
        i += 1
      }
      return v
    }

    /// A plain JSON integer (no fraction or exponent, at most 18 digits).
    mutating func int() -> Int? {
      skipSpace()
      var negative = false
      if i < bytes.count, bytes[i] == 0x2D {
        negative = true
        i += 1
      }
      let start = i
      var v = 0
      while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
        guard i - start < 18 else { return nil }  // leave big numbers to JSONDecoder
        v = v * 10 + Int(bytes[i] - 0x30)
        i += 1
      }
      let digits = i - start
      guard digits > 0, digits <= 18, !(digits > 1 && bytes[start] == 0x30) else { return nil }
      if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x65 || bytes[i] == 0x45 { return nil }
      return negative ? -v : v
    }

    mutating func null() -> Bool {
      skipSpace()
      return literal("null")
    }

    mutating func bool() -> Bool? {
      skipSpace()
      if literal("true") { return true }
      if literal("false") { return false }
      return nil
    }

    /// `null` or a value read by `read`, into `out`; false for anything else. Always inlined,
    /// so it is specialised at each call: the generic function it replaced was not, and cost a
    /// metadata lookup per field.
    @inline(__always)
    mutating func optional<T>(_ out: inout T?, _ read: (inout Reader) -> T?) -> Bool {
      if null() {
        out = nil
        return true
      }
      guard let v = read(&self) else { return false }
      out = v
      return true
    }

    /// A `YYYY-MM-DDTHH:MM:SS[.fff]Z` string, parsed from its bytes without making a `String`.
    mutating func date() -> Date? {
      guard take(0x22) else { return nil }
      let start = i
      while i < bytes.count, bytes[i] != 0x22 {
        if bytes[i] == 0x5C || bytes[i] < 0x20 || bytes[i] >= 0x80 { return nil }
        i += 1
      }
      guard i < bytes.count else { return nil }
      defer { i += 1 }
      return JournalDateFormat.parse(utf8: UnsafeBufferPointer(rebasing: bytes[start..<i]))
    }

    mutating func strings() -> [String]? {
      guard take(0x5B) else { return nil }
      var out: [String] = []
      if take(0x5D) { return out }
      repeat {
        guard let s = string() else { return nil }
        out.append(s)
      } while take(0x2C)
      return take(0x5D) ? out : nil
    }

    /// Skips a scalar value under an unknown key (JSONDecoder ignores unknown keys).
    mutating func skipScalar() -> Bool {
      skipSpace()
      guard i < bytes.count else { return false }
      switch bytes[i] {
      case 0x22: return string() != nil
      case 0x74, 0x66: return bool() != nil
      case 0x6E: return null()
      default: return int() != nil
      }
    }

    static let keys: [StaticString] = [
      "seq", "at", "operator", "type", "prev", "step", "input", "value", "secret", "index", "table",
      "reason", "text", "status", "passed", "output", "durationMs", "host", "pid", "from", "steps",
      "fingerprint", "sha256",
    ]

    /// The index of `key` in `keys`, compared byte by byte (no `String` made or compared).
    static func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
      guard let first = key.first else { return nil }
      for (index, name) in keys.enumerated()
      where name.utf8CodeUnitCount == key.count && name.utf8Start[0] == first {
        if memcmp(name.utf8Start, key.baseAddress!, key.count) == 0 { return index }
      }
      return nil
    }

    mutating func event() -> Event? {
      guard take(0x7B) else { return nil }
      var seq: Int?
      var at: Date?
      var op: String?
      var type: EventType?
      var prev: String?
      var e = Event(type: .note, at: Date(timeIntervalSince1970: 0), operator: "")
      var seen: UInt32 = 0  // known keys read so far, by their index in `keys`
      var unknown: [String] = []
      if !take(0x7D) {
        repeat {
          guard let k = key(), take(0x3A) else { return nil }
          let index = Self.index(of: k)
          if let index {
            guard seen & (1 << index) == 0 else { return nil }  // a repeated key: leave it to JSONDecoder
            seen |= 1 << index
          } else {
            let name = String(decoding: k, as: UTF8.self)
            guard !unknown.contains(name) else { return nil }
            unknown.append(name)
          }
          switch index {
          case 0:
            guard let v = int() else { return nil }
            seq = v
          case 1:
            guard let d = date() else { return nil }
            at = d
          case 2:
            guard let v = string() else { return nil }
            op = v
          case 3:
            guard let s = string(), let t = EventType(rawValue: s) else { return nil }
            type = t
          case 4:
            guard let v = string() else { return nil }
            prev = v
          case 5: guard optional(&e.step, { $0.string() }) else { return nil }
          case 6: guard optional(&e.input, { $0.string() }) else { return nil }
          case 7: guard optional(&e.value, { $0.string() }) else { return nil }
          case 8: guard optional(&e.secret, { $0.bool() }) else { return nil }
          case 9: guard optional(&e.index, { $0.int() }) else { return nil }
          case 10: guard optional(&e.table, { $0.int() }) else { return nil }
          case 11: guard optional(&e.reason, { $0.string() }) else { return nil }
          case 12: guard optional(&e.text, { $0.string() }) else { return nil }
          case 13: guard optional(&e.status, { $0.int() }) else { return nil }
          case 14: guard optional(&e.passed, { $0.bool() }) else { return nil }
          case 15: guard optional(&e.output, { $0.string() }) else { return nil }
          case 16: guard optional(&e.durationMs, { $0.int() }) else { return nil }
          case 17: guard optional(&e.host, { $0.string() }) else { return nil }
          case 18: guard optional(&e.pid, { $0.int() }) else { return nil }
          case 19: guard optional(&e.from, { $0.string() }) else { return nil }
          case 20: guard optional(&e.steps, { $0.strings() }) else { return nil }
          case 21: guard optional(&e.fingerprint, { $0.string() }) else { return nil }
          case 22: guard optional(&e.sha256, { $0.string() }) else { return nil }
          default: guard skipScalar() else { return nil }
          }
        } while take(0x2C)
        guard take(0x7D) else { return nil }
      }
      skipSpace()
      guard i == bytes.count, let seq, let at, let op, let type, let prev else { return nil }
      e.seq = seq
      e.at = at
      e.operator = op
      e.type = type
      e.prev = prev
      return e
    }
  }
}

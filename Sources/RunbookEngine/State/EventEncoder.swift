import Foundation

/// Writes an event's journal line byte for byte as `JSONEncoder` does with ``JournalCoding``'s
/// settings (sorted keys, unescaped slashes, no nil fields), without `JSONEncoder`: every answer
/// appends events, and encoding them through `Codable` was an eighth of an answer's work in
/// `runbook serve`. An event with a `moved` map (sorted by `JSONEncoder`'s own rules) gives nil
/// and the caller uses `JSONEncoder`. `EventEncoderTests` compares the two on random events.
enum EventEncoder {
  static func line(_ e: Event) -> [UInt8]? {
    guard e.moved == nil else { return nil }
    var writer = Writer()
    writer.out.reserveCapacity(256)
    writer.out.append(UInt8(ascii: "{"))
    // The keys in `JSONEncoder`'s `.sortedKeys` order.
    writer.field("at", JournalDateFormat.timestamp(e.at))
    writer.field("content", e.content)
    writer.field("durationMs", e.durationMs)
    writer.field("fingerprint", e.fingerprint)
    writer.field("from", e.from)
    writer.field("host", e.host)
    writer.field("index", e.index)
    writer.field("input", e.input)
    writer.field("interrupted", e.interrupted)
    writer.field("operator", e.operator)
    writer.field("output", e.output)
    writer.field("page", e.page)
    writer.field("passed", e.passed)
    writer.field("pid", e.pid)
    writer.field("prev", e.prev)
    writer.field("reason", e.reason)
    writer.field("secret", e.secret)
    writer.field("seq", e.seq)
    writer.field("sha256", e.sha256)
    writer.field("status", e.status)
    writer.field("step", e.step)
    writer.field("steps", e.steps)
    writer.field("table", e.table)
    writer.field("text", e.text)
    writer.field("type", e.type.rawValue)
    writer.field("value", e.value)
    writer.field("variables", e.variables)
    writer.out.append(UInt8(ascii: "}"))
    return writer.out
  }

  private struct Writer {
    var out: [UInt8] = []
    var first = true

    mutating func key(_ name: StaticString) {
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
      out.append(UInt8(ascii: "\""))
      name.withUTF8Buffer { out.append(contentsOf: $0) }
      out.append(UInt8(ascii: "\""))
      out.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String?) {
      guard let value else { return }
      key(name)
      string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
      guard let value else { return }
      key(name)
      out.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
      guard let value else { return }
      key(name)
      out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func field(_ name: StaticString, _ value: [String]?) {
      guard let value else { return }
      key(name)
      out.append(UInt8(ascii: "["))
      for (i, item) in value.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        string(item)
      }
      out.append(UInt8(ascii: "]"))
    }

    /// A JSON string as `JSONEncoder` writes it: quote, backslash and control characters escaped,
    /// everything else (slashes, U+2028, DEL) as it is.
    mutating func string(_ value: String) {
      out.append(UInt8(ascii: "\""))
      for byte in value.utf8 {
        switch byte {
        case UInt8(ascii: "\""): out += [0x5C, 0x22]
        case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
        case 0x08: out += [0x5C, UInt8(ascii: "b")]
        case 0x0C: out += [0x5C, UInt8(ascii: "f")]
        case 0x0A: out += [0x5C, UInt8(ascii: "n")]
        case 0x0D: out += [0x5C, UInt8(ascii: "r")]
        case 0x09: out += [0x5C, UInt8(ascii: "t")]
        case 0..<0x20:
          let digits = JournalCoding.hexDigits
          out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        default: out.append(byte)
        }
      }
      out.append(UInt8(ascii: "\""))
    }
  }
}

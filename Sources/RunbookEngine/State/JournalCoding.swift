import Crypto
import Foundation

/// The JSON and hash conventions of a state file: sorted keys, no nil fields, one record a line,
/// dates in ``JournalDateFormat/timestamp(_:)`` form.
enum JournalCoding {
  static func makeEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(JournalDateFormat.timestamp(date))
    }
    return encoder
  }

  static func makeDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let string = try container.decode(String.self)
      guard let date = JournalDateFormat.parse(string) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "not a UTC ISO 8601 timestamp: \(string)")
      }
      return date
    }
    return decoder
  }

  /// The bytes of one line, without its newline; nil if the value cannot be encoded.
  static func line(_ value: some Encodable, encoder: JSONEncoder) -> [UInt8]? {
    guard let data = try? encoder.encode(value), !data.contains(0x0A) else { return nil }
    return [UInt8](data)
  }

  /// The event as appended after `seq - 1` events whose last line hashes to `prev` (its time
  /// rounded to the millisecond), and its line; nil if it cannot be encoded.
  static func chain(_ event: Event, seq: Int, prev: String, encoder: JSONEncoder) -> (Event, [UInt8])? {
    var event = event
    event.seq = seq
    event.prev = prev
    event.at = JournalDateFormat.rounded(event.at)
    return (EventEncoder.line(event) ?? line(event, encoder: encoder)).map { (event, $0) }
  }

  /// Lowercase hex SHA-256 of `bytes`.
  static func sha256(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes(sha256) }

  /// Lowercase hex SHA-256 of `bytes`.
  static func sha256(_ bytes: ArraySlice<UInt8>) -> String { bytes.withUnsafeBytes(sha256) }

  /// Lowercase hex SHA-256 of `bytes` (this runs once per journal line when a journal is read).
  static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
    var hasher = SHA256()
    hasher.update(bufferPointer: bytes)
    return hex(hasher.finalize())
  }

  /// `digest` in lowercase hex, written straight into the string's storage.
  static func hex(_ digest: SHA256.Digest) -> String {
    String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { out in
      var i = 0
      digest.withUnsafeBytes { raw in
        for byte in raw {
          out[i] = hexDigits[Int(byte >> 4)]
          out[i + 1] = hexDigits[Int(byte & 0x0F)]
          i += 2
        }
      }
      return i
    }
  }

  /// Lowercase hex digits, for the writers of hashes and escapes.
  static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

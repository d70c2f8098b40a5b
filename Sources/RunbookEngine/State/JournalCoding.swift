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

  /// Lowercase hex SHA-256 of `bytes`.
  static func sha256(_ bytes: some DataProtocol) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for byte in SHA256.hash(data: bytes) {
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

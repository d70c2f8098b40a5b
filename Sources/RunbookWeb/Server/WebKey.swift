import Foundation

/// Runs and guides in addresses: their id or path as unpadded base64url, so any path fits in one
/// path segment. A key only names something; the server still checks that it is one of the runs
/// or guides it serves before using it.
enum WebKey {
  // The alphabets are swapped byte by byte: every request decodes a key, and Foundation's
  // `replacingOccurrences` (three of them each way) was a twentieth of an answer's work.
  static func encode(_ text: String) -> String {
    let base64 = Data(text.utf8).base64EncodedData()
    return String(
      decoding: base64.compactMap { byte -> UInt8? in
        switch byte {
        case UInt8(ascii: "+"): UInt8(ascii: "-")
        case UInt8(ascii: "/"): UInt8(ascii: "_")
        case UInt8(ascii: "="): nil
        default: byte
        }
      }, as: UTF8.self)
  }

  static func decode(_ key: String) -> String? {
    var base64 = key.utf8.map { byte -> UInt8 in
      switch byte {
      case UInt8(ascii: "-"): UInt8(ascii: "+")
      case UInt8(ascii: "_"): UInt8(ascii: "/")
      default: byte
      }
    }
    while base64.count % 4 != 0 { base64.append(UInt8(ascii: "=")) }
    guard let data = Data(base64Encoded: Data(base64)) else { return nil }
    return String(data: data, encoding: .utf8)
  }
}

import Foundation

/// Runs and guides in addresses: their id or path as unpadded base64url, so any path fits in one
/// path segment. A key only names something; the server still checks that it is one of the runs
/// or guides it serves before using it.
enum WebKey {
  static func encode(_ text: String) -> String {
    Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
  }

  static func decode(_ key: String) -> String? {
    var base64 = key.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let data = Data(base64Encoded: base64) else { return nil }
    return String(data: data, encoding: .utf8)
  }
}

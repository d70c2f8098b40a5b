import Crypto
import Foundation

/// The secret printed when the server starts: every request must carry it (in the address once,
/// then in an HttpOnly cookie, or as `Authorization: Bearer` for API clients). CSRF tokens are
/// derived from it per browser, so they need no storage.
public struct AccessToken: Sendable {
  public let value: String

  /// A new random token (256 bits, hex).
  public init() {
    var generator = SystemRandomNumberGenerator()
    value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
      .joined()
  }

  /// A given token (tests, or `RUNBOOK_SERVE_TOKEN`).
  public init(_ value: String) { self.value = value }

  /// Compares in time independent of where the strings differ.
  func matches(_ candidate: String?) -> Bool {
    guard let candidate else { return false }
    let a = Array(value.utf8)
    let b = Array(candidate.utf8)
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in a.indices { difference |= a[i] ^ b[i] }
    return difference == 0
  }

  /// The CSRF token forms of `browser` carry.
  func csrf(for browser: String) -> String {
    let key = SymmetricKey(data: Data(value.utf8))
    let mac = HMAC<SHA256>.authenticationCode(for: Data(("csrf:" + browser).utf8), using: key)
    return mac.map { String(format: "%02x", $0) }.joined()
  }

  /// A new random browser id.
  static func newBrowserID() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
  }
}

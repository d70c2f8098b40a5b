import Foundation
import Testing

@testable import RunbookWeb

/// Keys in addresses: unpadded base64url of any path, read back to the same path.
@Suite struct WebKeyTests {
  @Test(arguments: [
    "Runbooks/amazon-cognito-oidc.md", "state/run-1.state.jsonl", "a", "ab", "abc", "?>>", "ü/日本/🎉 x",
    "/tmp/a b/c+d=e_f-g", "",
  ])
  func roundTrip(_ path: String) throws {
    let key = WebKey.encode(path)
    #expect(!key.contains { "+/=".contains($0) }, "\(key) fits in a path segment")
    #expect(WebKey.decode(key) == path)
    // The same as base64 with the URL alphabet, without padding.
    let base64 = Data(path.utf8).base64EncodedString()
    #expect(key == String(base64.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 }.filter { $0 != "=" }))
  }

  @Test func somethingElseIsNotAKey() {
    #expect(WebKey.decode("a") == nil)
    #expect(WebKey.decode("!!!!") == nil)
    #expect(WebKey.decode(WebKey.encode("x").dropLast() + "\u{FF}") == nil)
  }
}

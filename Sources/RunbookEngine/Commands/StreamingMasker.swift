/// Masks secrets in output that arrives in pieces: a secret split across two reads is held
/// back until it is complete, so it is never shown, not even in halves.
final class StreamingMasker: @unchecked Sendable {
  private let masker: SecretMasker
  private let secrets: [String]
  private var pending = ""

  init(_ masker: SecretMasker, secrets: [String]) {
    self.masker = masker
    self.secrets = secrets.filter { $0.count >= 3 }
  }

  /// The masked text that can be shown now; a possible start of a secret is kept back.
  func feed(_ chunk: String) -> String {
    pending += chunk
    guard let longest = secrets.map(\.count).max(), longest > 1 else {
      defer { pending = "" }
      return pending
    }
    var cut =
      pending.index(pending.endIndex, offsetBy: -(longest - 1), limitedBy: pending.startIndex)
      ?? pending.startIndex
    // Never cut through an occurrence: move the cut to its start.
    for secret in secrets {
      var from = pending.startIndex
      while let found = pending.range(of: secret, range: from..<pending.endIndex) {
        if found.lowerBound < cut && cut < found.upperBound { cut = found.lowerBound }
        from = found.upperBound
      }
    }
    let ready = String(pending[..<cut])
    pending = String(pending[cut...])
    return masker.mask(ready)
  }

  /// Whatever is still held back, masked.
  func finish() -> String {
    defer { pending = "" }
    return masker.mask(pending)
  }
}

/// Masks secrets in output that arrives in pieces: a secret split across two reads is held
/// back until it is complete, so it is never shown, not even in halves. Only a tail that could
/// be the start of a secret is held back; everything before it is shown at once.
final class StreamingMasker: @unchecked Sendable {
  private let masker: SecretMasker
  private var pending: [UInt8] = []

  init(_ masker: SecretMasker) {
    self.masker = masker
  }

  /// The masked text that can be shown now.
  func feed(_ chunk: String) -> String {
    guard !masker.isEmpty else { return chunk }
    pending += chunk.utf8
    let (masked, consumed) = masker.mask(pending[...], holdingBack: true)
    pending.removeFirst(consumed)
    return String(decoding: masked, as: UTF8.self)
  }

  /// Whatever is still held back, masked.
  func finish() -> String {
    defer { pending = [] }
    return String(decoding: masker.mask(pending[...], holdingBack: false).masked, as: UTF8.self)
  }
}

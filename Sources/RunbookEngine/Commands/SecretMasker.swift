/// Hides secret values in text shown or stored: command text, output, reports.
public struct SecretMasker: Sendable {
  public static let mask = "••••••"
  private let secrets: [String]

  /// Secrets shorter than three characters are not masked: they would hide ordinary text.
  public init(secrets: some Sequence<String>) {
    self.secrets = Set(secrets.filter { $0.count >= 3 }).sorted { $0.count > $1.count }
  }

  /// The longest secret, in characters (0 without secrets).
  public var longest: Int { secrets.first?.count ?? 0 }

  public func mask(_ text: String) -> String {
    var out = text
    for secret in secrets where out.contains(secret) {
      out = out.replacingOccurrences(of: secret, with: Self.mask)
    }
    return out
  }
}

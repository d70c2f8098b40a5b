/// The one place values are quoted for the shell: a value substituted into a `{run}` or
/// `{check}` command is always data, never code.
public enum ShellQuote {
  /// `it's` → `'it'\''s'`: single quotes keep everything literal except `'` itself.
  public static func quote(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

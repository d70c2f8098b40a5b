/// The one place values are quoted for the shell: a value substituted into a `{run}` or
/// `{check}` command is always data, never code.
public enum ShellQuote {
  /// `it's` → `'it'\''s'`: single quotes keep everything literal except `'` itself.
  public static func quote(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// `text` as one shell word, quoted only when it needs to be (a path or id shown in a command
  /// the admin may paste): `./`-prefixed when it starts with `-`, so it is never an option.
  public static func word(_ text: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./+:@%,=-")
    if !text.isEmpty, text.allSatisfy(safe.contains), !text.hasPrefix("-") { return text }
    return quote(text.hasPrefix("-") ? "./" + text : text)
  }
}

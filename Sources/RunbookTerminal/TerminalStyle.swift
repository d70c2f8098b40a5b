/// What the terminal the renderer writes to supports.
public struct TerminalStyle: Hashable, Sendable {
  /// The wrap width in columns; the renderer never uses less than ``minimumWidth``.
  public var width: Int
  /// ANSI SGR styling: bold, dim, italic, underline and colours.
  public var color: Bool
  /// OSC 8 hyperlinks.
  public var hyperlinks: Bool

  /// The narrowest width the renderer wraps to.
  public static let minimumWidth = 20

  /// Width 80, no colour, no hyperlinks: for pipes, files and tests.
  public static let plain = TerminalStyle(width: 80, color: false, hyperlinks: false)

  public init(width: Int = 80, color: Bool = false, hyperlinks: Bool = false) {
    self.width = max(Self.minimumWidth, width)
    self.color = color
    self.hyperlinks = hyperlinks
  }

  /// Decides from the environment, given as values rather than read from globals:
  /// - not a terminal: no colour and no hyperlinks;
  /// - `TERM` unset, empty or `dumb`: no colour and no hyperlinks;
  /// - `NO_COLOR` set, whatever its value: no colour;
  /// - `TERM=linux` (the Linux console): no hyperlinks.
  ///
  /// The width is `columns` when positive, else `COLUMNS` from the environment, else 80.
  public static func detect(environment: [String: String], isTTY: Bool, columns: Int?) -> TerminalStyle {
    let fromEnvironment = environment["COLUMNS"].flatMap { Int($0.trimming(" ")) }
    let width = [columns, fromEnvironment].compactMap { $0 }.first { $0 > 0 } ?? plain.width
    let term = environment["TERM"]?.trimming(" ") ?? ""
    guard isTTY, !term.isEmpty, term != "dumb" else {
      return TerminalStyle(width: width, color: false, hyperlinks: false)
    }
    return TerminalStyle(
      width: width, color: environment["NO_COLOR"] == nil, hyperlinks: term != "linux")
  }
}

internal import CCmarkGFM
import Synchronization

/// Parses Markdown with cmark-gfm and converts the tree into ``MarkdownDocument`` values.
///
/// The parser always attaches GitHub's table, tasklist, strikethrough and autolink extensions,
/// records source positions, replaces invalid UTF-8 and releases every cmark allocation before
/// it returns. The walk uses cmark's iterator, so documents nested thousands deep do not recurse;
/// content nested deeper than ``maximumDepth`` is kept as plain text so that later stages,
/// which do recurse, stay within the stack.
public enum MarkdownParser {
  /// The deepest container nesting converted into structure.
  public static let maximumDepth = 64

  /// Parses UTF-8 Markdown text.
  public static func parse(_ text: String) -> MarkdownDocument {
    var text = text
    return text.withUTF8 { parse(bytes: $0, lineOffset: 0, isValidUTF8: true) }
  }

  /// Parses `text` as if it were preceded by `blankLinesBefore` empty lines: the body of a guide
  /// whose front matter was cut off, with positions counted from the top of the file, without
  /// copying the body.
  public static func parse(_ text: Substring, blankLinesBefore: Int) -> MarkdownDocument {
    var text = text
    return text.withUTF8 { parse(bytes: $0, lineOffset: blankLinesBefore, isValidUTF8: true) }
  }

  /// Parses Markdown bytes (invalid UTF-8 is replaced by U+FFFD), as if preceded by
  /// `blankLinesBefore` empty lines.
  public static func parse(bytes: UnsafeBufferPointer<UInt8>, blankLinesBefore: Int = 0) -> MarkdownDocument {
    parse(bytes: bytes, lineOffset: blankLinesBefore, isValidUTF8: false)
  }

  /// cmark-gfm keeps the inline parser's table of special characters in a global that each
  /// parser changes for its extensions while it parses inlines, and restores afterwards
  /// (github/cmark-gfm#176, not fixed in the Debian package): two parses at once lose autolinks
  /// or escapes at random, and `lint` compiles guides on all cores. `cmark_parser_finish`,
  /// which parses the inlines, therefore runs one at a time. `cmark_parser_feed` (the block
  /// structure) runs outside the lock: in 0.29.0.gfm.6 the table (`SPECIAL_CHARS`, `SKIP_CHARS`
  /// in `inlines.c`) is read only by `parse_inline` and `scan_delims` and written only by
  /// `process_inlines`, all reached from `finalize_document`, that is from `cmark_parser_finish`
  /// alone; the only other globals (the extension registry and node types) are written when the
  /// extensions are registered, before any parse. Converting the tree runs outside it too.
  private static let cmarkParsing = Mutex(())

  /// Parses `bytes`, whose first line is line `lineOffset + 1` of the file, and converts the
  /// tree. When `isValidUTF8` (the bytes of a Swift string), cmark does not check the encoding
  /// again.
  static func parse(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, isValidUTF8: Bool) -> MarkdownDocument
  {
    ExtensionRegistry.ensureRegistered()
    let source = SourceText(bytes: bytes, blankLinesBefore: lineOffset)
    let options = CMARK_OPT_SOURCEPOS | (isValidUTF8 ? 0 : CMARK_OPT_VALIDATE_UTF8)
    guard let parser = cmark_parser_new(options) else {
      return MarkdownDocument(blocks: [], lineCount: source.lineCount)
    }
    defer { cmark_parser_free(parser) }
    for name in ["table", "tasklist", "strikethrough", "autolink"] {
      if let ext = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, ext)
      }
    }
    if let base = bytes.baseAddress, bytes.count > 0 {
      base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
        cmark_parser_feed(parser, $0, bytes.count)
      }
    }
    // The tree's address crosses the lock as a plain integer (a pointer is not `Sendable`); the
    // tree belongs to this parse alone.
    let parsed = cmarkParsing.withLock { _ in Int(bitPattern: cmark_parser_finish(parser)) }
    guard let root = OpaquePointer(bitPattern: parsed) else {
      return MarkdownDocument(blocks: [], lineCount: source.lineCount)
    }
    defer { cmark_node_free(root) }
    var converter = TreeConverter(source: source)
    return converter.convert(root)
  }
}

/// Registers cmark-gfm's core extensions once per process (cmark keeps them in a C registry).
private enum ExtensionRegistry {
  static let registered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
  }()
  static func ensureRegistered() { _ = registered }
}

import CYAML

/// Composes YAML text into a ``YAMLNode`` tree from libyaml's events. The only code that talks
/// to libyaml's C API.
///
/// libyaml (Debian's libyaml-dev, the parser Yams wraps) does the parsing and reports every
/// syntax error; this file only assembles its events. Written here rather than taken from Yams:
/// Yams' composer cost four times libyaml's own parse (a tenth of a whole lint): a `Tag` object with a resolver and a constructor per node, every
/// mapping's keys hashed into a dictionary to find duplicates, and a `Node` enum copied at each
/// level. It also read the whole process environment for its default encoding on every call.
///
/// The tree is built with an explicit stack, not recursion, so nesting cannot overflow a
/// thread's stack; libyaml 0.2.5 has no nesting limit of its own, so ``maximumDepth`` is one.
enum YAMLComposer {
  /// Why a YAML text could not be composed, at a line and column (in Unicode scalars) from 1
  /// of the text given to ``compose(_:)``.
  struct Failure: Error, Equatable, CustomStringConvertible {
    var line: Int
    var column: Int
    var problem: String
    var description: String { "\(line):\(column): \(problem)" }
  }

  /// Collections nested deeper than this are refused (front matter nests three or four levels).
  static let maximumDepth = 100

  /// The document's root node; nil for a text with no document (empty, or only comments).
  /// A second document (`---` after the first) is a failure.
  static func compose(_ text: String) throws(Failure) -> YAMLNode? {
    var text = text
    let result = text.withUTF8 { bytes -> Result<YAMLNode?, Failure> in
      // libyaml asserts on a null input; an empty text is no document.
      guard let base = bytes.baseAddress, !bytes.isEmpty else { return .success(nil) }
      // libyaml keeps a pointer to the parser in the parser, so it must not move: heap, not stack.
      let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
      defer { parser.deallocate() }
      guard yaml_parser_initialize(parser) == 1 else {
        return .failure(Failure(line: 1, column: 1, problem: "out of memory"))
      }
      defer { yaml_parser_delete(parser) }
      yaml_parser_set_input_string(parser, base, bytes.count)
      yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
      var builder = Builder()
      return Result { () throws(Failure) in try builder.run(parser, bytes) }
    }
    return try result.get()
  }

  /// A collection whose end event has not come yet.
  private struct Frame {
    var isMapping: Bool
    var items: [YAMLNode] = []
    var pairs: [YAMLPair] = []
    var pendingKey: YAMLNode?
    var tag: String?
    var anchor: String?
    var line: Int
    var column: Int
  }

  private struct Builder {
    var stack: [Frame] = []
    var anchors: [String: YAMLNode] = [:]
    var root: YAMLNode?
    var documents = 0

    mutating func run(_ parser: UnsafeMutablePointer<yaml_parser_t>, _ bytes: UnsafeBufferPointer<UInt8>)
      throws(Failure) -> YAMLNode?
    {
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(parser, &event) == 1 else { throw failure(parser.pointee, bytes) }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { return root }
        try handle(event)
      }
    }

    mutating func handle(_ event: yaml_event_t) throws(Failure) {
      let line = event.start_mark.line + 1
      let column = event.start_mark.column + 1
      switch event.type {
      case YAML_DOCUMENT_START_EVENT:
        documents += 1
        if documents > 1 {
          throw Failure(
            line: line, column: column,
            problem: "expected a single document in the stream but found another document")
        }
      case YAML_ALIAS_EVENT:
        let name = text(event.data.alias.anchor) ?? ""
        guard let node = anchors[name] else {
          throw Failure(line: line, column: column, problem: "found undefined alias")
        }
        attach(node)
      case YAML_SCALAR_EVENT:
        let scalar = event.data.scalar
        let value = String(
          decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        // A quoted or block scalar without a tag is a string (libyaml's `quoted_implicit`).
        let tag = scalar.quoted_implicit == 1 ? YAMLNode.stringTag : text(scalar.tag)
        let node = YAMLNode(
          value: .scalar(value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), tag: tag, line: line,
          column: column)
        if let anchor = text(scalar.anchor) { anchors[anchor] = node }
        attach(node)
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        guard stack.count < maximumDepth else {
          throw Failure(
            line: line, column: column,
            problem: "lists and mappings nested more than \(maximumDepth) levels deep")
        }
        let isMapping = event.type == YAML_MAPPING_START_EVENT
        stack.append(
          Frame(
            isMapping: isMapping,
            tag: text(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag),
            anchor: text(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor),
            line: line, column: column))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        let frame = stack.removeLast()
        if frame.isMapping { try Self.checkDuplicates(frame.pairs) }
        let node = YAMLNode(
          value: frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items), tag: frame.tag,
          line: frame.line, column: frame.column)
        if let anchor = frame.anchor { anchors[anchor] = node }
        attach(node)
      default:
        break  // stream start, document end
      }
    }

    /// Puts a finished node into the collection being built, or makes it the root.
    mutating func attach(_ node: YAMLNode) {
      guard !stack.isEmpty else {
        root = node
        return
      }
      let top = stack.count - 1
      if !stack[top].isMapping {
        stack[top].items.append(node)
      } else if let key = stack[top].pendingKey {
        stack[top].pairs.append(YAMLPair(key: key, value: node))
        stack[top].pendingKey = nil
      } else {
        stack[top].pendingKey = node
      }
    }

    /// A key given twice in one mapping is an error (YAML requires unique keys); the position is
    /// the first occurrence of the first duplicated key in sorted order. Small mappings (the
    /// usual front matter) compare keys pairwise, which costs less than hashing every key.
    static func checkDuplicates(_ pairs: [YAMLPair]) throws(Failure) {
      guard pairs.count > 1 else { return }
      var duplicated: [YAMLNode] = []
      func found(_ earlier: Int) {
        if !duplicated.contains(pairs[earlier].key) { duplicated.append(pairs[earlier].key) }
      }
      if pairs.count <= 16 {
        for index in 1..<pairs.count {
          if let earlier = pairs[..<index].firstIndex(where: { $0.key == pairs[index].key }) {
            found(earlier)
          }
        }
      } else {
        var seen: [ScalarKey: Int] = [:]
        for (index, pair) in pairs.enumerated() {
          if let text = pair.key.string {
            let key = ScalarKey(tag: pair.key.resolvedTag, text: text)
            if let earlier = seen[key] { found(earlier) } else { seen[key] = index }
          } else if let earlier = pairs[..<index].firstIndex(where: { $0.key == pair.key }) {
            found(earlier)  // a list or mapping as a key: rare, compared one by one
          }
        }
      }
      guard !duplicated.isEmpty else { return }
      duplicated.sort { ($0.string ?? "\u{10FFFF}") < ($1.string ?? "\u{10FFFF}") }
      let names = duplicated.map { $0.string ?? "(a list or mapping)" }
      throw Failure(
        line: duplicated[0].line, column: duplicated[0].column,
        problem: "duplicated key \(names.joined(separator: ", "))")
    }

    /// A scalar key as YAML compares it: text and resolved tag.
    struct ScalarKey: Hashable {
      var tag: String
      var text: String
    }

    /// libyaml's error, where it happened.
    func failure(_ parser: yaml_parser_t, _ bytes: UnsafeBufferPointer<UInt8>) -> Failure {
      let problem = parser.problem.map { String(cString: $0) } ?? "out of memory"
      switch parser.error {
      case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
        let context = parser.context.map { String(cString: $0) } ?? ""
        return Failure(
          line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1,
          problem: context.isEmpty ? problem : "\(context) \(problem)")
      case YAML_READER_ERROR:  // a byte offset: count lines and scalars up to it
        let offset = min(parser.problem_offset, bytes.count)
        let before = bytes[..<offset]
        let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
        let line = before.count { $0 == 0x0A } + 1
        let column = bytes[lineStart..<offset].count { $0 & 0xC0 != 0x80 } + 1
        return Failure(line: line, column: column, problem: problem)
      default:
        return Failure(line: 1, column: 1, problem: problem)
      }
    }

    func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
      pointer.map { String(cString: $0) }
    }
  }
}

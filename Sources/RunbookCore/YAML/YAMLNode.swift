/// A node of a YAML document, as ``YAMLComposer`` builds it from libyaml's events: what front
/// matter and answers files read. Aliases are resolved (an alias is a copy of its anchor's node).
///
/// Values follow YAML 1.1 with no implicit typing beyond what the readers ask for: every scalar
/// is text; ``bool`` and ``isNull`` look at a plain scalar's text, so `'true'` and `"null"` stay
/// text, as YAML means them to.
struct YAMLNode: Sendable {
  enum Value: Sendable {
    /// A scalar's text; `plain` when it was written without quotes or a block indicator.
    case scalar(String, plain: Bool)
    case sequence([YAMLNode])
    case mapping([YAMLPair])
  }

  var value: Value
  /// The tag as libyaml reports it: the one written (`!!str` expanded to
  /// `tag:yaml.org,2002:str`), `tag:yaml.org,2002:str` for a quoted or block scalar written
  /// without one, nil for a plain scalar or a collection written without one.
  var tag: String?
  /// Where the node starts in the YAML text: line and column (in Unicode scalars) from 1.
  var line: Int
  var column: Int

  static let stringTag = "tag:yaml.org,2002:str"

  /// A scalar's text; nil for a sequence or a mapping.
  var string: String? {
    if case .scalar(let text, _) = value { return text }
    return nil
  }

  var sequence: [YAMLNode]? {
    if case .sequence(let items) = value { return items }
    return nil
  }

  var mapping: [YAMLPair]? {
    if case .mapping(let pairs) = value { return pairs }
    return nil
  }

  /// `true`, `yes`, `on` / `false`, `no`, `off` in any case, unless the scalar is a string by
  /// its tag or quotes (`"yes"` is text); nil for anything else.
  var bool: Bool? {
    guard case .scalar(let text, _) = value, tag != Self.stringTag else { return nil }
    switch text.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: return nil
    }
  }

  /// A plain empty value, `~` or `null` (`Null`, `NULL`): YAML's null.
  var isNull: Bool {
    guard case .scalar(let text, plain: true) = value else { return false }
    return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
  }

  /// The tag two keys must share to be the same key: the one written, else the kind's own
  /// (`!` and no tag alike).
  var resolvedTag: String {
    if let tag, tag != "!" { return tag }
    switch value {
    case .scalar: return Self.stringTag
    case .sequence: return "tag:yaml.org,2002:seq"
    case .mapping: return "tag:yaml.org,2002:map"
    }
  }
}

/// One key and its value in a mapping, in the document's order.
struct YAMLPair: Sendable, Equatable {
  var key: YAMLNode
  var value: YAMLNode
}

/// Equal as mapping keys: same kind, same resolved tag, same content; positions and quoting
/// do not count (`a` and `'a'` are the same key).
extension YAMLNode: Equatable {
  static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
    guard lhs.resolvedTag == rhs.resolvedTag else { return false }
    switch (lhs.value, rhs.value) {
    case (.scalar(let a, _), .scalar(let b, _)): return a == b
    case (.sequence(let a), .sequence(let b)): return a == b
    case (.mapping(let a), .mapping(let b)): return a == b
    default: return false
    }
  }
}

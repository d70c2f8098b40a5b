/// Computes derived inputs (`value: 'https://<domain>/oauth2/token'`) from the others.
public struct DerivedValues: Sendable {
  public let inputs: [Input]

  public init(_ runbook: Runbook) {
    inputs = runbook.inputs
  }

  /// The ids a derived input's template names.
  public static func references(_ input: Input) -> [String] {
    guard let template = input.value else { return [] }
    return Placeholder.scan(template).map(\.id)
  }

  /// Every derived value that can be computed from `values`; a derived input whose inputs are
  /// not all known yet (or that depends on itself) is left out.
  public func evaluate(_ values: [String: String]) -> [String: String] {
    var result = values
    var visiting: Set<String> = []
    let derived = Dictionary(inputs.filter(\.isDerived).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    func value(of id: String) -> String? {
      if let known = result[id] { return known }
      guard let input = derived[id], let template = input.value, visiting.insert(id).inserted else {
        return nil
      }
      defer { visiting.remove(id) }
      var missing = false
      let text = Placeholder.substitute(template) { occurrence in
        if let v = value(of: occurrence.id) { return v }
        missing = true
        return nil
      }
      guard !missing else { return nil }
      result[id] = text
      return text
    }
    for id in derived.keys.sorted() { _ = value(of: id) }
    return result.filter { derived[$0.key] != nil }
  }

  /// A cycle among derived inputs (`a` → `b` → `a`), as the ids along it, if there is one.
  public func cycle(from start: String) -> [String]? {
    let byID = Dictionary(inputs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var path: [String] = []
    var onPath: Set<String> = []
    var done: Set<String> = []
    func visit(_ id: String) -> [String]? {
      if onPath.contains(id) { return Array(path[path.firstIndex(of: id)!...]) + [id] }
      if done.contains(id) { return nil }
      guard let input = byID[id], input.isDerived else { return nil }
      path.append(id)
      onPath.insert(id)
      for next in Self.references(input) {
        if let found = visit(next) { return found }
      }
      path.removeLast()
      onPath.remove(id)
      done.insert(id)
      return nil
    }
    return visit(start)
  }
}

/// Who is at a browser (or API client): the operator's name as recorded in the journal, and an
/// id for the browser, so two tabs of one browser are the same driver and another browser is not.
public struct WebOperator: Sendable, Equatable {
  public var name: String
  public var browser: String

  public init(name: String, browser: String) {
    self.name = name
    self.browser = browser
  }
}

import Foundation
import HTTPTypes
import Hummingbird
import RunbookEngine

/// An error answered to a browser or API client: the HTTP status, one sentence that says what
/// to do, and the `runbook` exit status with the same meaning (2 usage, 3 inputs missing, 5 in
/// use…). API requests get it as JSON (`{"error": {"message", "exitStatus", "kind"}}`), pages as
/// a small HTML page.
struct WebFailure: Error, Sendable {
  var status: HTTPResponse.Status
  var message: String
  var exitStatus: Int32 = 2
  var kind = "usage"
  var details: [String] = []

  static let unauthorized = WebFailure(
    status: .unauthorized,
    message: "This server needs its access token: open the address `runbook serve` printed, which carries it",
    kind: "unauthorized")
  static let crossSite = WebFailure(
    status: .forbidden, message: "Refused: the request came from another site", kind: "forbidden")
  static let badCSRF = WebFailure(
    status: .forbidden,
    message: "Refused: the form is missing its CSRF token or it is wrong; reload the page and try again",
    kind: "forbidden")

  static func notFound(_ what: String) -> WebFailure {
    WebFailure(status: .notFound, message: what, kind: "not-found")
  }

  /// A launch error with the status and exit status the CLI gives it.
  init(_ error: LaunchError) {
    switch error.kind {
    case .inputsMissing(let lines):
      self.init(
        status: .unprocessableContent, message: error.description, exitStatus: 3, kind: "inputs-missing",
        details: lines)
    case .store(.inUse):
      self.init(status: .conflict, message: error.description, exitStatus: 5, kind: "in-use")
    case .store(.notFound):
      self.init(status: .notFound, message: error.description, exitStatus: 2, kind: "not-found")
    case .guide:
      self.init(status: .unprocessableContent, message: error.description, exitStatus: 2, kind: "guide")
    case .request, .store:
      self.init(status: .badRequest, message: error.description, exitStatus: 2, kind: "usage")
    }
  }

  init(
    status: HTTPResponse.Status, message: String, exitStatus: Int32 = 2, kind: String = "usage",
    details: [String] = []
  ) {
    self.status = status
    self.message = message
    self.exitStatus = exitStatus
    self.kind = kind
    self.details = details
  }

  struct Body: Encodable {
    struct Detail: Encodable {
      var message: String
      var exitStatus: Int32
      var kind: String
      var details: [String]
    }
    var error: Detail
  }

  func response(for request: Request, pages: Pages) -> Response {
    if request.uri.path.hasPrefix("/api/") || request.headers[.accept]?.contains("application/json") == true {
      let body = Body(error: .init(message: message, exitStatus: exitStatus, kind: kind, details: details))
      return WebJSON.response(body, status: status)
    }
    let page = pages.failure(status: Int(status.code), message: message, details: details)
    return Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: page)))
  }
}

/// JSON responses: keys sorted, dates in the journal's format.
enum WebJSON {
  static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(JournalDateFormat.timestamp(date))
    }
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

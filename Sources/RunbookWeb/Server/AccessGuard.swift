import Foundation
import HTTPTypes
import Hummingbird

/// The security of every request, in one place:
/// - the access token: a `?token=` address sets the HttpOnly, SameSite=Strict cookie and
///   redirects to the same address without it; otherwise the cookie or `Authorization: Bearer`
///   must carry the token, or the answer is 401;
/// - requests that change something (`POST`) from another origin are refused with 403 before
///   anything else, and a browser's must carry its CSRF token (form field `csrf` or header
///   `X-CSRF-Token`);
/// - every response gets the Content-Security-Policy (no inline script, nothing from elsewhere
///   but images), `nosniff`, no framing, no referrer.
struct AccessGuard<Context: RequestContext>: RouterMiddleware {
  let token: AccessToken
  /// For error pages.
  let pages: Pages

  static var tokenCookie: String { "runbook_token" }
  static var browserCookie: String { "runbook_browser" }
  static var operatorCookie: String { "runbook_operator" }

  static var contentSecurityPolicy: String {
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: http: data:; "
      + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
  }

  /// The largest form or JSON body accepted.
  static var bodyLimit: Int { 1 << 20 }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws
    -> Response
  {
    var response: Response
    do {
      response = try await guarded(request, context: context, next: next)
    } catch let error as WebFailure {
      response = error.response(for: request, pages: pages)
    } catch let error as HTTPError {
      response = WebFailure(status: error.status, message: error.body ?? "\(error.status.reasonPhrase)")
        .response(for: request, pages: pages)
    } catch {
      let failure = WebFailure(
        status: .internalServerError,
        message: "The server could not answer (\(error)); nothing was changed, try again")
      response = failure.response(for: request, pages: pages)
    }
    if response.headers[.contentSecurityPolicy] == nil {
      response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
    }
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
    response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    return response
  }

  private func guarded(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  )
    async throws -> Response
  {
    let changes = request.method != .get && request.method != .head
    if changes, let refusal = crossSite(request) { throw refusal }

    if let given = request.uri.queryParameters["token"].map(String.init) {
      guard token.matches(given) else { throw WebFailure.unauthorized }
      return exchange(request)
    }
    let bearer = request.headers[.authorization].flatMap { header -> String? in
      header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : nil
    }
    if let bearer {
      guard token.matches(bearer) else { throw WebFailure.unauthorized }
      return try await next(request, context)
    }
    guard token.matches(request.cookies[Self.tokenCookie]?.value) else { throw WebFailure.unauthorized }
    guard changes else { return try await next(request, context) }

    // A browser's change: its CSRF token, from the header (script) or the form.
    let browser = request.cookies[Self.browserCookie]?.value ?? ""
    let expected = token.csrf(for: browser)
    if let header = request.headers[HTTPField.Name("X-CSRF-Token")!] {
      guard !browser.isEmpty, AccessToken(expected).matches(header) else { throw WebFailure.badCSRF }
      return try await next(request, context)
    }
    var request = request
    let body = try await request.collectBody(upTo: Self.bodyLimit)
    let form = FormData(String(buffer: body))
    guard !browser.isEmpty, AccessToken(expected).matches(form["csrf"]) else { throw WebFailure.badCSRF }
    return try await next(request, context)
  }

  /// 403 for a change sent from another origin (a cross-site form post): the browser's
  /// `Sec-Fetch-Site` (anything but `same-origin`), else its `Origin` compared with the `Host` the
  /// request was sent to. A request without either (curl, an API client) is not a browser's.
  private func crossSite(_ request: Request) -> WebFailure? {
    if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
      return site == "same-origin" || site == "none" ? nil : .crossSite
    }
    guard let origin = request.headers[.origin], origin != "null" else { return nil }
    let host = request.head.authority ?? ""
    guard let url = URL(string: origin), let originHost = url.host else { return .crossSite }
    let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
    return originAuthority.lowercased() == host.lowercased() ? nil : .crossSite
  }

  /// The token in the address: set the cookies and send the browser to the same page without it.
  private func exchange(_ request: Request) -> Response {
    var query = FormData(request.uri.query ?? "").pairs.filter { $0.0 != "token" }
      .map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    if !query.isEmpty { query = "?" + query }
    var response = Response(status: .seeOther, headers: [.location: request.uri.path + query])
    response.setCookie(Self.cookie(Self.tokenCookie, token.value))
    if request.cookies[Self.browserCookie] == nil {
      response.setCookie(Self.cookie(Self.browserCookie, AccessToken.newBrowserID()))
    }
    return response
  }

  static func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
    Cookie(name: name, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
  }

  /// Percent-encodes everything but ASCII letters, digits and `-._~` (cookie values and query
  /// strings must be ASCII; `.alphanumerics` would keep `é`).
  static func encode(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  private static var unreserved: CharacterSet {
    CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
  }
}

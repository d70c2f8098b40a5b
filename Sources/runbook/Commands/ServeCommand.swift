import ArgumentParser
import Dispatch
import Foundation
import RunbookEngine
import RunbookWeb

/// `runbook serve [DIR…]`: the runbooks of the folders and their runs in a browser, on the same
/// engine and state files as `runbook run` (docs/web.md).
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the runbooks of folders and their runs in a browser (interactive documentation).",
    discussion: """
      Prints an address with an access token; open it in a browser. Listens on 127.0.0.1:8080 \
      unless --listen says otherwise. Runs started here are state files like those of \
      `runbook run` (in --state-dir), and one process at a time drives a run: a run a terminal \
      holds is shown live and read-only, and `runbook run` refuses a run the server drives \
      (exit 5). Security, the API and reverse proxies: docs/web.md.
      """
  )

  @Argument(
    help:
      "Folders (or files) with runbooks; state files under them are listed too. Default: the current folder.")
  var paths: [String] = []

  @Option(help: ArgumentHelp("Where to listen: HOST:PORT, [IPv6]:PORT or PORT.", valueName: "HOST:PORT"))
  var listen = "127.0.0.1:8080"

  @Option(help: "Where new runs' state files go (default: .runbook).")
  var stateDir = ".runbook"

  @Option(
    help: ArgumentHelp(
      "Take the operator's name from this request header, set by an authenticating reverse proxy.",
      valueName: "NAME"))
  var operatorHeader: String?

  func validate() throws {
    guard Self.address(listen) != nil else {
      throw ValidationError("--listen takes HOST:PORT, [IPv6]:PORT or PORT, got \(listen)")
    }
    if let operatorHeader,
      operatorHeader.isEmpty || operatorHeader.contains(where: { $0 == ":" || $0 == " " })
    {
      throw ValidationError("--operator-header takes a header name such as X-Forwarded-User")
    }
  }

  /// `host:port`, `[v6]:port` or a port alone (on loopback).
  static func address(_ text: String) -> (host: String, port: Int)? {
    if let port = Int(text), (0...65535).contains(port) { return ("127.0.0.1", port) }
    var host: Substring
    var portText: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { return nil }
      host = text[text.index(after: text.startIndex)..<close]
      let rest = text[text.index(after: close)...]
      guard rest.hasPrefix(":") else { return nil }
      portText = rest.dropFirst()
    } else {
      guard let colon = text.lastIndex(of: ":") else { return nil }
      host = text[..<colon]
      portText = text[text.index(after: colon)...]
    }
    if host.isEmpty { host = "127.0.0.1" }
    guard let port = Int(portText), (0...65535).contains(port) else { return nil }
    return (String(host), port)
  }

  func run() throws {
    let folders = paths.isEmpty ? ["."] : paths
    var problems: [String] = []
    _ = GuideFinder.find(folders, problems: &problems)
    if let first = problems.first { throw CommandFailure(first) }
    let (host, port) = Self.address(listen) ?? ("127.0.0.1", 8080)
    let environment = ProcessInfo.processInfo.environment
    let token =
      environment["RUNBOOK_SERVE_TOKEN"].flatMap { $0.count >= 16 ? AccessToken($0) : nil } ?? AccessToken()
    let options = ServeOptions(
      host: host, port: port, token: token, operatorHeader: operatorHeader, hostName: RunOptions.hostName,
      pid: Int(getpid())
    ) {
      var ignored: [String] = []
      return GuideFinder.find(folders, problems: &ignored)
    }
    let searched = folders.filter { path in
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
    let store = FileStore(
      stateDirectory: stateDir, searchDirectories: Array(Set(searched + [stateDir])).sorted())
    let server = WebServer(options: options, store: store, runner: SystemProcessRunner())
    if !options.isLoopback {
      StandardStreams.error(
        "runbook: listening on \(host), which other machines can reach: the access token is the only protection "
          + "(and it travels unencrypted); prefer 127.0.0.1 behind a TLS reverse proxy (docs/web.md)")
    }
    let failure = ServeFailure()
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        try await server.run { url, _ in
          StandardStreams.output("runbook serve: open \(url)\n")
        }
      } catch {
        failure.set("cannot serve on \(listen): \(error); choose another address with --listen")
      }
      done.signal()
    }
    done.wait()
    if let message = failure.message { throw CommandFailure(message) }
  }
}

/// The server's failure, handed from its task to the command's thread.
private final class ServeFailure: @unchecked Sendable {
  private let lock = NSLock()
  private var text: String?
  func set(_ message: String) { lock.withLock { text = message } }
  var message: String? { lock.withLock { text } }
}

import Foundation

/// The local OpenID Connect stand-in (`oidc_stub.py`), started for one test and stopped after.
public final class OIDCStub: @unchecked Sendable {
  public let port: Int
  private let process: Process

  public enum Mode: String, Sendable {
    case good
    case issuerHost = "issuer-host"
    case noKeys = "no-keys"
  }

  /// Starts the stub on a free loopback port; it stops by itself after two minutes at most.
  /// With `moto` (an emulator's endpoint URL), the documents describe the user pool most
  /// recently created there (in `region`), and the key set is the emulator's.
  public init(mode: Mode, region: String, poolID: String, domain: String, moto: String? = nil) throws {
    (process, port) = try PythonServer.start(
      "oidc_stub.py",
      [
        "--port", "0", "--mode", mode.rawValue, "--region", region, "--pool-id", poolID, "--domain", domain,
        "--max-seconds", moto == nil ? "120" : "300",
      ] + (moto.map { ["--moto", $0] } ?? []),
      name: "the OIDC stub")
  }

  public var baseURL: String { "http://127.0.0.1:\(port)" }

  public func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }

  deinit { stop() }

  struct StubError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}

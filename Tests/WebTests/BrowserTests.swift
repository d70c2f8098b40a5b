import Foundation
import RunbookTestSupport
import Testing

/// `runbook serve` in a real headless Chromium: starts the OIDC stub and the server on free
/// ports, then runs Browser/browser_test.py (Selenium), which prints one line per test.
/// Skipped, saying what is missing, without chromium, chromedriver or Python's selenium
/// (`scripts/bootstrap --tests` installs them).
@Suite(.serialized) struct BrowserTests {
  static let missing: String? = {
    var missing: [String] = []
    for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"]
    where !FileManager.default.isExecutableFile(atPath: tool) {
      missing.append(tool)
    }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    probe.arguments = ["python3", "-c", "import selenium"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    if (try? probe.run()) == nil {
      missing.append("python3")
    } else {
      probe.waitUntilExit()
      if probe.terminationStatus != 0 { missing.append("python3 selenium") }
    }
    return missing.isEmpty ? nil : missing.joined(separator: ", ")
  }()

  @Test(
    "the browser tests pass (Cognito runbook, live updates, terminal hand-over, hostile content, token, CSRF)",
    .enabled(
      if: missing == nil, "browser tests skipped: \(missing ?? "") missing; run scripts/bootstrap --tests"))
  func browserSuite() throws {
    let work = Paths.temporaryDirectory("runbook-serve")
    defer { try? FileManager.default.removeItem(at: work) }
    let guides = work.appendingPathComponent("guides")
    try FileManager.default.createDirectory(at: guides, withIntermediateDirectories: true)
    let fixtures = Paths.packageRoot.appendingPathComponent("Tests/WebTests/Fixtures")
    for name in ["hostile.md", "plain.md", "commands.md"] {
      try FileManager.default.copyItem(
        at: fixtures.appendingPathComponent(name), to: guides.appendingPathComponent(name))
    }
    try FileManager.default.copyItem(
      at: Paths.packageRoot.appendingPathComponent("Runbooks/amazon-cognito-oidc.md"),
      to: guides.appendingPathComponent("amazon-cognito-oidc.md"))

    let stub = try OIDCStub(
      mode: .good, region: "us-east-1", poolID: "us-east-1_AbCdEf123",
      domain: "appsmith-login.auth.us-east-1.amazoncognito.com")
    defer { stub.stop() }
    let server = try ServeProcess(directory: work, arguments: ["guides", "--state-dir", ".runbook"])
    defer { server.stop() }

    let screenshot = Paths.packageRoot.appendingPathComponent(".build/serve-screenshot.png").path
    let result = try PythonScript.run(
      Paths.packageRoot.appendingPathComponent("Tests/WebTests/Browser/browser_test.py").path,
      arguments: [
        "--url", server.url, "--runbook", RunbookProcess.executable.path, "--workdir", work.path, "--stub",
        stub.baseURL + "/us-east-1_AbCdEf123", "--screenshot", screenshot,
      ])
    #expect(result.status == 0, "browser tests failed:\n\(result.output)\nserver:\n\(server.errors)")
    #expect(result.output.contains("6 passed, 0 failed"), "\(result.output)")
    if result.status == 0, ProcessInfo.processInfo.environment["RUNBOOK_UPDATE_SCREENSHOT"] == "1" {
      let target = Paths.packageRoot.appendingPathComponent("docs/images/runbook-serve.png")
      try? FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? FileManager.default.removeItem(at: target)
      try FileManager.default.copyItem(at: URL(fileURLWithPath: screenshot), to: target)
    }
  }
}

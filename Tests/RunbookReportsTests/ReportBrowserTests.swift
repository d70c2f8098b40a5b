import Foundation
import RunbookReports
import RunbookTestSupport
import Testing

/// The HTML report as a real browser renders it: headless Chromium's `--dump-dom`.
@Suite(
  .enabled(
    if: Browser.path != nil,
    "chromium is not installed: install the Debian package chromium (scripts/bootstrap --tests) to run the browser test"
  ))
struct ReportBrowserTests {
  @Test func completedReportReadsRightInABrowser() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let dom = try Browser.dumpDOM(try built.report().html(), in: built.directory)
    let text = Browser.text(of: dom)
    #expect(text.contains("Connect the reporting database"))
    #expect(text.contains("completed"))
    #expect(text.contains("done"))
    #expect(text.contains("postgres://app@db.internal.example:5432/reports"))
    #expect(text.contains("provided (secret)"))
    #expect(text.contains("What is left") == false)
  }

  @Test func hostileTextShowsAsText() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    let html = try built.report().html()
    let dom = try Browser.dumpDOM(html, in: built.directory)
    #expect(!dom.lowercased().contains("<script"))
    #expect(!dom.lowercased().contains("<img"))
    let text = Browser.text(of: dom)
    #expect(text.contains("Deploy <script>alert(1)</script> </table> & \"quotes\" 'single' ^[[31mred"))
    #expect(text.contains("</table><script>alert(1)</script> & \"x\" 'y' ^[[31mred^[]0;x^G"))
    #expect(text.contains("<img src=x onerror=alert(1)>"))
    #expect(text.contains("skipped"))
    // The table survived: the hostile cell did not close it early.
    #expect(dom.components(separatedBy: "<table").count == html.components(separatedBy: "<table").count)
  }

  @Test func partialReportShowsWhatIsLeft() throws {
    let built = try ReportFixture.partial()
    defer { ReportFixture.remove(built) }
    let text = Browser.text(of: try Browser.dumpDOM(try built.report().html(), in: built.directory))
    #expect(text.contains("What is left"))
    #expect(text.contains("runbook resume .runbook/reporting-db.state.jsonl"))
    #expect(text.contains("skipped"))
    #expect(text.contains("failed"))
  }
}

extension ReportBrowserTests {
  /// The timeline as Chromium draws it: the SVG survives parsing with its bars, and a screenshot
  /// is kept in .build/test-artifacts/report-timeline.png for a person to look at.
  @Test func theTimelineIsDrawn() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let html = try built.report().html()
    let dom = try Browser.dumpDOM(html, in: built.directory)
    let svg = String(dom[try #require(dom.firstRange(of: /<svg[\s\S]*?<\/svg>/))])
    #expect(svg.contains("class=\"timeline\""))
    #expect(svg.components(separatedBy: "<rect").count - 1 >= 6)
    #expect(Browser.text(of: dom).contains("Session 2: bob on ops-2 (handed over)"))
    let artifacts = Paths.packageRoot.appendingPathComponent(".build/test-artifacts")
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    let png = artifacts.appendingPathComponent("report-timeline.png")
    try Browser.screenshot(html, in: built.directory, to: png)
    let bytes = try Data(contentsOf: png)
    #expect(bytes.count > 10_000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
  }
}

enum Browser {
  /// Writes the HTML to a file and saves Chromium's screenshot of it as a PNG.
  static func screenshot(_ html: String, in directory: URL, to png: URL) throws {
    let file = directory.appendingPathComponent("screenshot.html")
    try html.write(to: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path!)
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--user-data-dir=\(directory.appendingPathComponent("chromium-shot").path)", "--hide-scrollbars",
      "--window-size=1100,1400", "--screenshot=\(png.path)", file.absoluteString,
    ]
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = directory.path
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "chromium could not take a screenshot (status \(process.terminationStatus))")
    }
  }

  static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Writes the HTML to a file and returns the DOM Chromium builds from it.
  static func dumpDOM(_ html: String, in directory: URL) throws -> String {
    let file = directory.appendingPathComponent("report.html")
    try html.write(to: file, atomically: true, encoding: .utf8)
    let profile = directory.appendingPathComponent("chromium-profile")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path!)
    process.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--user-data-dir=\(profile.path)", "--dump-dom", file.absoluteString,
    ]
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = directory.path
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let dom = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0, dom.contains("<body") else {
      throw Failure(
        description: "chromium exited with \(process.terminationStatus) and printed: \(dom.prefix(300))")
    }
    return dom
  }

  /// The text of a serialized DOM: tags removed, the entities a serializer writes decoded.
  static func text(of dom: String) -> String {
    let body = dom.replacing(/<style[^>]*>[\s\S]*?<\/style>/, with: "")
    return body.replacing(/<[^>]*>/, with: "").replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&nbsp;", with: " ")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}

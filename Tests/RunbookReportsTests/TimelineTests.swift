import Foundation
import RunbookCore
import RunbookEngine
import RunbookReports
import RunbookTestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The picture of a run in time that opens the HTML report (and, as text, the Markdown one).
@Suite struct TimelineTests {
  @Test func aHandoverShowsTwoSessionsAndWhoSpentTimeOnEachStep() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let timeline = try built.report().timeline
    #expect(timeline.operators == ["alice", "bob"])
    #expect(timeline.sessions.map(\.operatorName) == ["alice", "bob"])
    #expect(timeline.sessions.map(\.ending) == [.paused, .completed])
    #expect(timeline.sessions.map(\.host) == ["ops-1", "ops-2"])
    #expect(timeline.sessions[0].done == ["1", "2"] && timeline.sessions[1].done == ["3", "4"])
    #expect(
      timeline.sessions[0].end == ReportFixture.at(75) && timeline.sessions[1].start == ReportFixture.at(3600)
    )
    let step3 = try #require(timeline.rows.first { $0.label == "3" })
    #expect(
      step3.spans == [
        .init(start: ReportFixture.at(70), end: ReportFixture.at(75), operatorName: "alice"),
        .init(start: ReportFixture.at(3600), end: ReportFixture.at(3620), operatorName: "bob"),
      ])
    #expect(step3.marks.map(\.kind) == [.done])
  }

  @Test func skipsFailedChecksAndInterruptionsAreMarked() throws {
    let built = try ReportFixture.build(ReportFixture.database) { rb in
      let s1 = ReportFixture.step(rb, "1")
      let s2 = ReportFixture.step(rb, "2")
      return [
        Event(type: .started, at: ReportFixture.at(0), operator: "alice", host: "a", pid: 1),
        Event(type: .stepStarted, at: ReportFixture.at(1), operator: "alice", step: s1),
        Event(
          type: .check, at: ReportFixture.at(5), operator: "alice", step: s1, index: 0, passed: false),
        Event(type: .interrupted, at: ReportFixture.at(6), operator: "alice", step: s1, reason: "Ctrl-C"),
        Event(type: .resumed, at: ReportFixture.at(86_400 * 2), operator: "alice", host: "a", pid: 2),
        Event(
          type: .stepSkipped, at: ReportFixture.at(86_400 * 2 + 9), operator: "alice", step: s1, reason: "x"),
        Event(type: .stepStarted, at: ReportFixture.at(86_400 * 2 + 9), operator: "alice", step: s2),
        // Killed: the next session starts without this one ending.
        Event(type: .resumed, at: ReportFixture.at(86_400 * 3), operator: "bob", host: "b", pid: 3),
      ]
    }
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    let timeline = report.timeline
    #expect(timeline.sessions.map(\.ending) == [.interrupted, .cutOff, .open])
    let step1 = try #require(timeline.rows.first { $0.label == "1" })
    #expect(step1.marks.map(\.kind) == [.failedCheck, .interrupted, .skipped])
    let markdown = report.render(.markdown)
    #expect(markdown.contains("## Timeline"))
    #expect(markdown.contains("- paused 1 d 23 h\n"))
    #expect(markdown.contains("- Session 3: bob on b (handed over)"))
    #expect(markdown.contains("1 failed check; interrupted"))
  }

  @Test func theHTMLReportOpensWithAWellFormedSVGTimeline() throws {
    let built = try ReportFixture.hostileRun()
    defer { ReportFixture.remove(built) }
    let report = try built.report()
    let html = report.render(.html)
    let svg = String(html[try #require(html.firstRange(of: /<svg[\s\S]*?<\/svg>/))])
    let timelineAt = try #require(html.range(of: "<section id=\"timeline\">")).lowerBound
    let stepsAt = try #require(html.range(of: "<section id=\"steps\">")).lowerBound
    #expect(timelineAt < stepsAt)
    let parser = XMLParser(data: Data(svg.utf8))
    #expect(parser.parse(), "the timeline is not well-formed XML: \(String(describing: parser.parserError))")
    #expect(!svg.contains("<script"))
    #expect(!svg.contains("\u{1B}"))
    let spans = report.timeline.rows.reduce(0) { $0 + $1.spans.count }
    #expect(spans > 0)
    #expect(svg.components(separatedBy: "<rect").count - 1 >= spans + report.timeline.sessions.count)
  }

  @Test func theJSONReportCarriesTheTimeline() throws {
    let built = try ReportFixture.completed()
    defer { ReportFixture.remove(built) }
    let json = try built.report().render(.json)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let timeline = try #require(object["timeline"] as? [String: Any])
    let sessions = try #require(timeline["sessions"] as? [[String: Any]])
    #expect(sessions.map { $0["operator"] as? String } == ["alice", "bob"])
    #expect(sessions.map { $0["ending"] as? String } == ["paused", "completed"])
  }
}

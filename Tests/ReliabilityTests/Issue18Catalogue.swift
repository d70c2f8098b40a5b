import Foundation
import RunbookEngine
import RunbookTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Rows of the bad-input catalogue from the second adversarial review (issue 18): what `-o`
/// does with what is already there, lock files and paths taken from a guide, and the behaviour
/// that blocked or misled people. Every row drives the built binary.
extension BadInputCatalogue {
  /// A finished run of a small guide, made with the binary, for the report rows.
  static func doneRun(_ w: Workspace) throws -> String {
    let guide = w.write("g.md", "---\nid: g\n---\n# G\n\n## S\n\n1. Go\n")
    let state = w.path + "/g.state.jsonl"
    let result = try CLI.run(["run", "--non-interactive", "--yes", "--state", state, guide])
    #expect(result.status == 0, "\(result.stderr)")
    return state
  }

  static func fileInfo(_ path: String, follow: Bool = true) -> stat {
    var info = Glibc.stat()
    _ = fstatat(AT_FDCWD, path, &info, follow ? 0 : AT_SYMLINK_NOFOLLOW)
    return info
  }

  static let files: [BadInput] = [
    BadInput("report -o /dev/null: written into, still the character device") { w in
      let state = try doneRun(w)
      let before = fileInfo("/dev/null")
      try CLI.expect(["report", "-o", "/dev/null", state], status: 0, stderr: .none)
      let after = fileInfo("/dev/null")
      #expect(after.st_mode & S_IFMT == S_IFCHR)
      #expect(after.st_rdev == before.st_rdev && after.st_ino == before.st_ino)
    },
    BadInput("report -o a FIFO: the reader gets the report, the FIFO stays") { w in
      let state = try doneRun(w)
      let fifo = w.path + "/report.fifo"
      #expect(mkfifo(fifo, 0o600) == 0)
      // A reader that blocks in open(2) until the writer comes, as `cat` does.
      let cat = Process()
      cat.executableURL = URL(fileURLWithPath: "/bin/cat")
      cat.arguments = [fifo]
      let out = Pipe()
      cat.standardOutput = out
      try cat.run()
      defer { if cat.isRunning { cat.terminate() } }
      try CLI.expect(["report", "-o", fifo, state], status: 0, stderr: .none, timeout: 30)
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      #expect(text.hasPrefix("# G\n"))
      #expect(fileInfo(fifo).st_mode & S_IFMT == S_IFIFO)
    },
    BadInput("report -o a symbolic link: the file it points to is written, the link stays") { w in
      let state = try doneRun(w)
      let target = w.write("target.md", "old\n")
      let link = w.path + "/link.md"
      try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
      try CLI.expect(["report", "-o", link, state], status: 0, stderr: .none)
      #expect(fileInfo(link, follow: false).st_mode & S_IFMT == S_IFLNK)
      #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("# G\n"))
    },
    BadInput("report -o an existing 0600 file: truncated in place, mode and inode kept") { w in
      let state = try doneRun(w)
      let path = w.write("mine.md", String(repeating: "a long old text\n", count: 10_000))
      chmod(path, 0o600)
      let before = fileInfo(path)
      try CLI.expect(["report", "-o", path, state], status: 0, stderr: .none)
      let after = fileInfo(path)
      #expect(after.st_mode & 0o777 == 0o600)
      #expect(after.st_ino == before.st_ino)
      let text = try String(contentsOfFile: path, encoding: .utf8)
      #expect(text.hasPrefix("# G\n") && !text.contains("a long old text"))
    },
    BadInput("report -o a new file, and the completion reports: mode 0600") { w in
      let state = try doneRun(w)
      let path = w.path + "/new.md"
      try CLI.expect(["report", "-o", path, state], status: 0, stderr: .none)
      #expect(fileInfo(path).st_mode & 0o777 == 0o600)
      for report in ["g.report.md", "g.report.html"] {
        #expect(fileInfo(w.path + "/" + report).st_mode & 0o777 == 0o600, "\(report)")
      }
    },
    BadInput("report -o a directory, or .: one sentence, status 2") { w in
      let state = try doneRun(w)
      try CLI.expect(
        ["report", "-o", w.path, state], status: 2,
        stderr: .line("runbook: cannot write \(w.path): it is a directory; give a file name"))
      let dot = try CLI.run(["report", "-o", ".", state], directory: w.path)
      #expect(dot.status == 2)
      #expect(dot.stderr == "runbook: cannot write .: it is a directory; give a file name\n")
    },
    BadInput("--state Gemfile beside Gemfile.lock: refused, both files untouched") { w in
      let guide = w.write("g.md", "# G\n\n1. Go\n")
      let gemfile = w.write("Gemfile", "source 'https://rubygems.org'\n")
      let lock = w.write("Gemfile.lock", "GEM\n  specs:\n")
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", gemfile, guide], status: 2,
        stderr: .line("runbook: \(gemfile) is not a runbook state file"))
      #expect(try String(contentsOfFile: gemfile, encoding: .utf8) == "source 'https://rubygems.org'\n")
      #expect(try String(contentsOfFile: lock, encoding: .utf8) == "GEM\n  specs:\n")
      #expect(!FileManager.default.fileExists(atPath: gemfile + ".runbook-lock"))
    },
    BadInput("--state NAME beside a NAME.lock of someone else's: the lock file is NAME.runbook-lock") { w in
      let guide = w.write("g.md", "# G\n\n1. Go\n")
      let state = w.path + "/app.state.jsonl"
      let theirs = w.write("app.state.jsonl.lock", "not runbook's\n")
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", state, guide], status: 0, stderr: .none)
      #expect(try String(contentsOfFile: theirs, encoding: .utf8) == "not runbook's\n")
      #expect(FileManager.default.fileExists(atPath: state + ".runbook-lock"))
    },
    BadInput("an id with ../: the state stays inside .runbook") { w in
      w.write("g.md", "---\nid: ../../escape\n---\n# G\n\n1. Go\n")
      let result = try CLI.run(["run", "--non-interactive", "--yes", "g.md"], directory: w.path)
      #expect(result.status == 0, "\(result.stderr)")
      let inside = try FileManager.default.contentsOfDirectory(atPath: w.path + "/.runbook")
      #expect(inside.contains { $0.hasSuffix(".state.jsonl") && !$0.contains("/") })
      let parent = URL(fileURLWithPath: w.path).deletingLastPathComponent().path
      #expect(!FileManager.default.fileExists(atPath: parent + "/escape.state.jsonl"))
      #expect(!FileManager.default.fileExists(atPath: w.path + "/escape.state.jsonl"))
    },
    BadInput("an id with escape sequences: nothing reaches the terminal raw, the file name is plain") { w in
      w.write(
        "g.md",
        "---\nid: \"x\\e]0;pwned\\a\\e[2J\"\n---\n# G\n\n1. Go:\n\n   ```sh {check}\n   false\n   ```\n")
      let run = try CLI.run(["run", "--non-interactive", "--yes", "g.md"], directory: w.path)
      #expect(run.status == 1)
      let status = try CLI.run(["status"], directory: w.path)
      for text in [run.stdout, run.stderr, status.stdout, status.stderr] {
        #expect(
          !text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(text.debugDescription)")
      }
      let names = try FileManager.default.contentsOfDirectory(atPath: w.path + "/.runbook")
      #expect(!names.isEmpty)
      #expect(names.allSatisfy { !$0.unicodeScalars.contains { $0.value < 0x20 } }, "\(names)")
    },
  ]

  static let behaviour: [BadInput] = [
    BadInput("an optional input nobody gave does not stop a --yes run") { w in
      let guide = w.write(
        "g.md",
        "---\ninputs:\n  name: {example: x}\n  extra: {required: false}\n---\n# G\n\n## S\n\n1. Use `<name>` and `<extra>`.\n"
      )
      try CLI.expect(
        [
          "run", "--non-interactive", "--yes", "--state", w.path + "/s.state.jsonl", "--set", "name=x", guide,
        ],
        status: 0, stderr: .none, stdout: ["Completed: G."])
    },
    BadInput("unknown --set and answers ids: refused naming the guide's inputs, nothing written") { w in
      let guide = w.write(
        "g.md", "---\ninputs:\n  name: {example: x}\n---\n# G\n\n## S\n\n1. Use `<name>`.\n")
      let state = w.path + "/s.state.jsonl"
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", state, "--set", "nmae=x", guide], status: 2,
        stderr: .line(
          "runbook: --set gives `nmae`, which \(guide) does not ask for (its inputs are name); check the spelling"
        ))
      let answers = w.write("a.yaml", "nmae: x\n")
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", state, "--answers", answers, guide], status: 2,
        stderr: .line(
          "runbook: the answers file gives `nmae`, which \(guide) does not ask for (its inputs are name); check the spelling"
        ))
      #expect(!FileManager.default.fileExists(atPath: state))
    },
    BadInput("surrounding spaces: a value is refused with a word, a secret is kept exactly") { w in
      let guide = w.write(
        "g.md",
        "---\ninputs:\n  name: {example: x}\n  key: {secret: true}\n---\n# G\n\n## S\n\n1. Use `<name>`:\n\n   ```sh {run}\n   printf '[%s]' \"$RUNBOOK_INPUT_KEY\" > \(w.path)/key\n   ```\n"
      )
      let state = w.path + "/s.state.jsonl"
      let refused = try CLI.run([
        "run", "--non-interactive", "--yes", "--state", state, "--set", "name= x ", guide,
      ])
      #expect(refused.status == 3)
      #expect(refused.stderr.contains("invalid: Name starts or ends with a space; type it without"))
      #expect(!FileManager.default.fileExists(atPath: state), "a refused run writes nothing")
      try CLI.expect(
        [
          "run", "--non-interactive", "--yes", "--state", state, "--set", "name=x", "--set", "key=  s3cr3t ",
          guide,
        ],
        status: 0, stderr: .none)
      #expect(try String(contentsOfFile: w.path + "/key", encoding: .utf8) == "[  s3cr3t ]")
    },
    BadInput("invalid UTF-8 in an argument or RUNBOOK_INPUT_: refused, not repaired") { w in
      let guide = w.write(
        "g.md", "---\ninputs:\n  name: {example: x}\n---\n# G\n\n## S\n\n1. Use `<name>`.\n")
      let state = w.path + "/s.state.jsonl"
      // Foundation's Process takes Strings; a shell passes the raw bytes.
      let shell = Process()
      shell.executableURL = URL(fileURLWithPath: "/bin/sh")
      shell.arguments = [
        "-c",
        "\"$0\" run --non-interactive --yes --state \"$1\" --set \"$(printf 'name=caf\\351')\" \"$2\" 2>&1; echo \"status $?\"; RUNBOOK_INPUT_NAME=\"$(printf 'caf\\351')\" \"$0\" run --non-interactive --yes --state \"$1\" \"$2\" 2>&1; echo \"status $?\"",
        RunbookProcess.executable.path, state, guide,
      ]
      let out = Pipe()
      shell.standardOutput = out
      try shell.run()
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      shell.waitUntilExit()
      #expect(
        text
          == "runbook: argument 7 is not valid UTF-8; give values as UTF-8 text\nstatus 2\n"
          + "runbook: the environment variable RUNBOOK_INPUT_NAME is not valid UTF-8; set it as UTF-8 text\nstatus 2\n"
      )
      #expect(!FileManager.default.fileExists(atPath: state))
    },
    BadInput("--answers <(…) and a template from a pipe are read") { w in
      let guide = w.write(
        "g.md", "---\ninputs:\n  name: {example: x}\n---\n# G\n\n## S\n\n1. Use `<name>`.\n")
      let state = w.path + "/s.state.jsonl"
      let shell = Process()
      shell.executableURL = URL(fileURLWithPath: "/bin/bash")
      shell.arguments = [
        "-c",
        "\"$0\" run --non-interactive --yes --state \"$1\" --answers <(printf 'name: piped\\n') \"$2\" >/dev/null && \"$0\" report --template <(printf 'T={{title}}') \"$1\"",
        RunbookProcess.executable.path, state, guide,
      ]
      let out = Pipe()
      shell.standardOutput = out
      try shell.run()
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      shell.waitUntilExit()
      #expect(shell.terminationStatus == 0)
      #expect(text == "T=G")
      #expect(try journalEvents(state).contains { $0.input == "name" && $0.value == "piped" })
    },
    BadInput("a template that is not a template: named as a template") { w in
      let state = try doneRun(w)
      let template = w.write("t.mustache", bytes: [0x00, 0x01, 0x02])
      try CLI.expect(
        ["report", "--template", template, state], status: 2,
        stderr: .line(
          "runbook: \(template): is not a text file (NUL byte at offset 0); give a Mustache template"))
    },
    BadInput("status of a run in progress: who holds it, not a resume that would fail") { w in
      let guide = w.write("g.md", "# G\n\n## S\n\n1. Go\n2. On\n")
      let state = w.path + "/s.state.jsonl"
      let run = try Spawned(
        ["run", "--interactive", "--state", state, guide], directory: w.path, stdin: true)
      defer { run.stop() }
      #expect(Spawned.wait(seconds: 60) { run.stdout.contains("[d]one") }, "\(run.stderr)")
      let status = try CLI.run(["status", state])
      #expect(status.status == 0)
      #expect(status.stdout.contains("  in progress: "), "\(status.stdout)")
      #expect(status.stdout.contains("(pid \(run.pid) on "))
      #expect(status.stdout.contains("; resume it once they stop: runbook resume \(state)"))
      #expect(!status.stdout.contains("  resume:    "))
    },
    BadInput("--yes at a terminal: unattended, nothing asked") { w in
      w.write(
        "g.md", "# G\n\n## S\n\n1. Run:\n\n   ```sh {run}\n   echo ran-it\n   ```\n\n2. Confirm by hand.\n")
      let script = w.write("script.json", "[]")
      let pty = Process()
      pty.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      pty.arguments = [
        "python3", Paths.packageRoot.appendingPathComponent("Tests/Support/pty_run.py").path, script, "--",
        RunbookProcess.executable.path, "run", "--yes", "g.md",
      ]
      pty.currentDirectoryURL = w.url
      var env = ProcessInfo.processInfo.environment
      env["TERM"] = "xterm"
      pty.environment = env
      let out = Pipe()
      pty.standardOutput = out
      try pty.run()
      let transcript = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      pty.waitUntilExit()
      #expect(pty.terminationStatus == 0, "\(transcript)")
      #expect(transcript.contains("ran-it"))
      #expect(transcript.contains("Completed: G."))
      #expect(!transcript.contains("Run it?") && !transcript.contains("[d]one"))
    },
    BadInput("a guide edit renumbers a finished step: its history follows it") { w in
      let text =
        "---\nid: g\n---\n# G\n\n## S\n\n1. Make the bucket:\n\n   ```sh {run}\n   echo made\n   ```\n\n2. Last.\n"
      let guide = w.write("g.md", text)
      let state = w.path + "/g.state.jsonl"
      try CLI.expect(
        ["run", "--non-interactive", "--yes", "--state", state, guide], status: 0, stderr: .none)
      w.write(
        "g.md",
        text.replacingOccurrences(
          of: "1. Make the bucket:", with: "1. New first step.\n\n2. Make the bucket:"
        ).replacingOccurrences(of: "2. Last.", with: "3. Last."))
      let report = try CLI.run(["report", state])
      #expect(report.status == 0)
      #expect(report.stdout.contains("command in step 2"), "\(report.stdout)")
      #expect(!report.stdout.contains("command in step 1"))
      let status = try CLI.run(["status", state])
      #expect(status.stdout.contains("2 done, 0 skipped, 0 failed, 1 pending of 3"), "\(status.stdout)")
    },
  ]
}

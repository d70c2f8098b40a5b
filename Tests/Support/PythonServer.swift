import Foundation

/// Starts one of the Python helpers in Tests/Support that serve on a port of their own choosing
/// and print `PORT N` on their first line; returns the process and the port.
enum PythonServer {
  static func start(_ script: String, _ arguments: [String], name: String) throws -> (Process, Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["python3", Paths.packageRoot.appendingPathComponent("Tests/Support/\(script)").path] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var line = Data()
    while true {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      if byte.isEmpty || byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
      process.terminate()
      throw OIDCStub.StubError(message: "\(name) did not start: \(text)")
    }
    return (process, port)
  }
}

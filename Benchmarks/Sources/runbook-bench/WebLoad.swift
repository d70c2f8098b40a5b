import Foundation

// `runbook-bench web PORT TOKEN GUIDE CLIENTS RUNS PAUSE`: CLIENTS threads each drive RUNS runs
// of GUIDE through the JSON API of a `runbook serve` on 127.0.0.1:PORT (start, then answer,
// confirm or done until the run is released), each over one kept-alive connection, waiting a
// random time of mean PAUSE seconds (exponentially distributed) before each answer. Prints the
// answer round trips as `web-*` lines like `drive`.
//
// Written here rather than in Python: 64 Python threads share one interpreter lock, and the time
// a thread waited for it was counted in the server's round trip.

func webLoad(port: UInt16, token: String, guide: String, clients: Int, runs: Int, pause: Double) throws
  -> [String]
{
  try loadBenchmark(prefix: "web", clients: clients) { client, work in
    let connection = try HTTPConnection(port: port, token: token)
    defer { connection.close() }
    for _ in 0..<runs {
      var (status, state) = try connection.post(
        "/api/runs", ["runbook": guide, "operator": "client\(client)"])
      guard status == 201, let key = state["key"] as? String, let first = state["lastSeq"] as? Int else {
        throw BenchError("start: \(status) \(state)")
      }
      var last = first
      while let prompt = state["prompt"] as? [String: Any], let kind = prompt["kind"] as? String {
        var body: [String: Any] = ["operator": "client\(client)", "prompt": prompt["key"] ?? ""]
        switch kind {
        case "input": body.merge(["answer": "value", "value": "value-\(client)"]) { $1 }
        case "confirm-row": body["answer"] = "confirm"
        default: body["answer"] = "done"
        }
        if pause > 0 { Thread.sleep(forTimeInterval: -pause * log(Double.random(in: Double.ulpOfOne..<1))) }
        let t = now()
        (status, state) = try connection.post("/api/runs/\(key)/answer", body)
        work.latencies.append(Double(now() - t) / 1e9)
        guard status == 200 else { throw BenchError("answer: \(status) \(state)") }
        last = state["lastSeq"] as? Int ?? last
        if state["outcome"] as? String == "released" { break }
      }
      work.events += last - first
    }
  }
}

/// HTTP/1.1 over one blocking, kept-alive socket to 127.0.0.1: just what the API's JSON
/// requests and responses need (a `Content-Length` body or a chunked one).
final class HTTPConnection {
  private let fd: Int32
  private let token: String
  private var buffer: [UInt8] = []

  init(port: UInt16, token: String) throws {
    self.token = token
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchError("socket: \(errno)") }
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw BenchError("connect: \(errno)") }
  }

  func close() { _ = Glibc.close(fd) }

  func post(_ path: String, _ body: [String: Any]) throws -> (Int, [String: Any]) {
    let json = try JSONSerialization.data(withJSONObject: body)
    let head =
      "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
      + "Content-Type: application/json\r\nContent-Length: \(json.count)\r\n\r\n"
    let request = Array(head.utf8) + json
    var sent = 0
    while sent < request.count {
      let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
      guard n > 0 else { throw BenchError("send: \(errno)") }
      sent += n
    }
    return try response()
  }

  private func response() throws -> (Int, [String: Any]) {
    let headerEnd = try until([13, 10, 13, 10])
    let head = String(decoding: buffer[..<headerEnd], as: UTF8.self)
    buffer.removeFirst(headerEnd + 4)
    let lines = head.components(separatedBy: "\r\n")
    guard let statusText = lines.first?.split(separator: " ").dropFirst().first, let status = Int(statusText)
    else {
      throw BenchError("bad status line: \(lines.first ?? "")")
    }
    var length: Int?
    var chunked = false
    for line in lines.dropFirst() {
      let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2 else { continue }
      if parts[0].lowercased() == "content-length" { length = Int(parts[1]) }
      if parts[0].lowercased() == "transfer-encoding", parts[1].lowercased().contains("chunked") {
        chunked = true
      }
    }
    var body: [UInt8] = []
    if chunked {
      while true {
        let lineEnd = try until([13, 10])
        let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16) ?? 0
        buffer.removeFirst(lineEnd + 2)
        try fill(size + 2)
        body += buffer[..<size]
        buffer.removeFirst(size + 2)
        if size == 0 { break }
      }
    } else {
      let size = length ?? 0
      try fill(size)
      body = Array(buffer[..<size])
      buffer.removeFirst(size)
    }
    let object =
      body.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:])
    return (status, object)
  }

  /// The index in the buffer where `marker` starts, reading until it is there.
  private func until(_ marker: [UInt8]) throws -> Int {
    var from = 0
    while true {
      if buffer.count >= marker.count {
        for i in from...(buffer.count - marker.count) where buffer[i..<i + marker.count].elementsEqual(marker)
        {
          return i
        }
        from = buffer.count - marker.count + 1
      }
      try read()
    }
  }

  private func fill(_ count: Int) throws {
    while buffer.count < count { try read() }
  }

  private func read() throws {
    var chunk = [UInt8](repeating: 0, count: 16_384)
    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    guard n > 0 else { throw BenchError("connection closed (\(errno))") }
    buffer += chunk[..<n]
  }
}

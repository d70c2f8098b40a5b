import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Monotonic time in nanoseconds.
func now() -> UInt64 {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Repeated wall-clock samples of one measurement, in seconds.
struct Samples {
  var name: String
  var seconds: [Double] = []

  var sorted: [Double] { seconds.sorted() }
  var median: Double {
    let s = sorted
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
  var min: Double { seconds.min() ?? .nan }
  var max: Double { seconds.max() ?? .nan }

  /// `name<TAB>median<TAB>min<TAB>max<TAB>runs`, the line scripts/bench reads.
  var line: String {
    "\(name)\t\(fmt(median))\t\(fmt(min))\t\(fmt(max))\t\(seconds.count)"
  }
}

func fmt(_ x: Double) -> String {
  String(format: "%.9f", x)
}

/// Keeps a value alive and observable so the optimizer cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
  withUnsafePointer(to: value) { _ = $0 }
}

/// Times `body` once.
@inline(__always)
func time(_ body: () throws -> Void) rethrows -> Double {
  let start = now()
  try body()
  return Double(now() - start) / 1e9
}

func printErr(_ s: String) {
  FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Line access to the source bytes, for the facts cmark does not keep (fence closure, cell counts).
/// Lines are numbered from the top of the file: `bytes` start on line `blankLinesBefore + 1`.
struct SourceText {
  let bytes: UnsafeBufferPointer<UInt8>
  let blankLinesBefore: Int
  /// Where each line starts, found the first time a line is asked for.
  private(set) var lineStarts: [Int] = []

  init(bytes: UnsafeBufferPointer<UInt8>, blankLinesBefore: Int = 0) {
    self.bytes = bytes
    self.blankLinesBefore = blankLinesBefore
  }

  mutating func line(_ fileLine: Int) -> ArraySlice<UInt8> {
    if lineStarts.isEmpty {
      lineStarts.append(0)
      for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
        lineStarts.append(offset + 1)
      }
    }
    let number = fileLine - blankLinesBefore
    guard number >= 1, number <= lineStarts.count else { return [] }
    let start = lineStarts[number - 1]
    var end = number < lineStarts.count ? lineStarts[number] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return ArraySlice(bytes[start..<max(start, end)])
  }

  var lineCount: Int {
    guard !bytes.isEmpty || blankLinesBefore > 0 else { return 0 }
    var count = 1 + blankLinesBefore + bytes.count { $0 == UInt8(ascii: "\n") }
    if (bytes.last ?? UInt8(ascii: "\n")) == UInt8(ascii: "\n") { count -= 1 }
    return count
  }
}

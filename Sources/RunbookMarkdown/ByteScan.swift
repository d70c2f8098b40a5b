#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Byte searches over a guide's text with the C library's `memchr`, which compares a vector of
/// bytes at a time: counting lines and finding bytes in a 5 MiB guide this way costs a few
/// million instructions instead of a hundred million for a Swift loop over every byte.
enum ByteScan {
  /// The offset of the first `byte` at or after `from`, or nil.
  @inline(__always)
  static func first(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
    guard let base = bytes.baseAddress, from < bytes.count else { return nil }
    guard let found = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
  }

  /// How many times `byte` occurs.
  static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 0
    forEach(byte, in: bytes) { _ in count += 1 }
    return count
  }

  /// Calls `body` with the offset of every `byte`, in order.
  @inline(__always)
  static func forEach(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
    var from = 0
    while let at = first(byte, in: bytes, from: from) {
      body(at)
      from = at + 1
    }
  }

  /// Whether `second` ever directly follows `first`.
  static func containsPair(_ first: UInt8, _ second: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var from = 0
    while let at = Self.first(first, in: bytes, from: from) {
      if at + 1 < bytes.count, bytes[at + 1] == second { return true }
      from = at + 1
    }
    return false
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension String {
  /// Whether the UTF-8 bytes contain `byte`, by `memchr` (the standard library's generic
  /// `utf8.contains` goes byte by byte through an iterator, ~450 instructions for a short text).
  func containsByte(_ byte: UInt8) -> Bool {
    var text = self
    return text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return false }
      return memchr(base, Int32(byte), bytes.count) != nil
    }
  }

  /// Whether `other` occurs in this string, compared byte for byte in UTF-8 (no Unicode
  /// normalisation, as for identifiers and environment variable names). Uses the C library's
  /// `memchr` and `memcmp`: Foundation's `contains(_:)` bridges through NSString and costs about 35,000
  /// instructions per search in a guide's joined commands; the standard library's
  /// `utf8.firstRange(of:)` is ten times slower still.
  func containsBytes(of other: String) -> Bool {
    var haystack = self
    var needle = other
    return haystack.withUTF8 { h in
      needle.withUTF8 { n in
        guard !n.isEmpty else { return true }
        guard let hBase = h.baseAddress, let nBase = n.baseAddress, h.count >= n.count else { return false }
        // memchr to each candidate first byte, then memcmp (memmem is a GNU extension that
        // Swift's Glibc module does not export).
        var from = 0
        let last = h.count - n.count
        while from <= last, let found = memchr(hBase + from, Int32(n[0]), last - from + 1) {
          if memcmp(found, nBase, n.count) == 0 { return true }
          from = hBase.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return false
      }
    }
  }
}

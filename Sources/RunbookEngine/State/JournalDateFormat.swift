import Foundation

/// The UTC timestamp forms the journal writes, computed without formatters or the time zone
/// database.
public enum JournalDateFormat {
  /// `2026-11-28T10:15:30.123Z`: the form of every date in a state file.
  public static func timestamp(_ date: Date) -> String {
    let ms = milliseconds(date)
    let (seconds, fraction) = floorDivide(ms, 1000)
    return civil(seconds, dateSeparator: "-", timeSeparator: ":") + "." + pad(fraction, 3) + "Z"
  }

  /// `2026-11-28T10:15:30Z`, truncated to whole seconds.
  public static func seconds(_ date: Date) -> String {
    civil(floorDivide(milliseconds(date), 1000).0, dateSeparator: "-", timeSeparator: ":") + "Z"
  }

  /// `20261128T101530Z`, for file names.
  public static func compact(_ date: Date) -> String {
    civil(floorDivide(milliseconds(date), 1000).0, dateSeparator: "", timeSeparator: "") + "Z"
  }

  /// `date` rounded to the millisecond, as it reads back from a state file.
  public static func rounded(_ date: Date) -> Date {
    Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`; fractional digits past milliseconds are dropped.
  public static func parse(_ string: String) -> Date? {
    var string = string
    return string.withUTF8 { parse(utf8: $0) }
  }

  /// ``parse(_:)`` over UTF-8 bytes.
  static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> Date? {
    func number(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= b.count else { return nil }
      var n = 0
      for c in b[from..<from + count] {
        guard c >= 0x30, c <= 0x39 else { return nil }
        n = n * 10 + Int(c - 0x30)
      }
      return n
    }
    func byte(_ i: Int, _ c: Unicode.Scalar) -> Bool { i < b.count && b[i] == UInt8(ascii: c) }
    guard let year = number(0, 4), byte(4, "-"), let month = number(5, 2), byte(7, "-"),
      let day = number(8, 2), byte(10, "T"), let hour = number(11, 2), byte(13, ":"),
      let minute = number(14, 2), byte(16, ":"), let second = number(17, 2),
      (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60,
      second < 60
    else { return nil }
    var i = 19
    var ms = 0
    if byte(i, ".") {
      i += 1
      var digits = 0
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
        if digits < 3 { ms = ms * 10 + Int(b[i] - 0x30) }
        digits += 1
        i += 1
      }
      guard digits > 0 else { return nil }
      for _ in digits..<max(digits, 3) { ms *= 10 }
    }
    guard byte(i, "Z"), i + 1 == b.count else { return nil }
    let days = daysFromCivil(year, month, day)
    let total = ((days * 24 + hour) * 60 + minute) * 60 + second
    return Date(timeIntervalSince1970: Double(total * 1000 + ms) / 1000)
  }

  static func milliseconds(_ date: Date) -> Int {
    Int((date.timeIntervalSince1970 * 1000).rounded())
  }

  private static func floorDivide(_ a: Int, _ b: Int) -> (Int, Int) {
    let q = a >= 0 ? a / b : -((-a + b - 1) / b)
    return (q, a - q * b)
  }

  private static func pad(_ n: Int, _ width: Int) -> String {
    var out: [UInt8] = []
    append(n, width: width, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// `n` in decimal with leading zeros up to `width` digits, written as bytes: a status or a
  /// report formats a date for every line it shows, and string concatenation cost ten times more.
  private static func append(_ n: Int, width: Int, to out: inout [UInt8]) {
    guard n >= 0 else {
      let s = String(n)
      out += repeatElement(UInt8(ascii: "0"), count: max(0, width - s.utf8.count))
      out += s.utf8
      return
    }
    var divisor = 1
    var count = 1
    while count < width || n / divisor >= 10 {
      divisor *= 10
      count += 1
    }
    while divisor > 0 {
      out.append(UInt8(ascii: "0") + UInt8(n / divisor % 10))
      divisor /= 10
    }
  }

  private static func civil(_ seconds: Int, dateSeparator: String, timeSeparator: String) -> String {
    let (days, secondOfDay) = floorDivide(seconds, 86_400)
    let (y, m, d) = civilFromDays(days)
    var out: [UInt8] = []
    out.reserveCapacity(24)
    append(y, width: 4, to: &out)
    out += dateSeparator.utf8
    append(m, width: 2, to: &out)
    out += dateSeparator.utf8
    append(d, width: 2, to: &out)
    out.append(UInt8(ascii: "T"))
    append(secondOfDay / 3600, width: 2, to: &out)
    out += timeSeparator.utf8
    append(secondOfDay / 60 % 60, width: 2, to: &out)
    out += timeSeparator.utf8
    append(secondOfDay % 60, width: 2, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  private static func daysIn(_ month: Int, _ year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // Howard Hinnant's days_from_civil and civil_from_days (proleptic Gregorian calendar).
  private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400).0
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719_468
    let era = floorDivide(z, 146_097).0
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

import Crypto
import Foundation
import RunbookCore

/// Content hashes that tell whether a runbook or a step changed between two sessions.
public enum StepFingerprint {
  /// A step's own content (title, body, code and tables), without positions or sub-steps,
  /// so that edits elsewhere in the guide do not reopen it.
  public static func of(_ step: Step) -> String {
    var text = step.number + "\n" + step.title + "\n" + step.body.plainText
    for code in step.codeBlocks {
      text +=
        "\n" + (code.language ?? "") + code.attributes.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
    return hex(SHA256.hash(data: Data(text.utf8)))
  }

  /// A step's own content like ``of(_:)`` but without its number: the same step renumbered
  /// (a step inserted before it) has the same content hash, so its history can follow it.
  public static func content(of step: Step) -> String {
    var text = step.title + "\n" + step.body.plainText
    for code in step.codeBlocks {
      text +=
        "\n" + (code.language ?? "") + code.attributes.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }
    return hex(SHA256.hash(data: Data(text.utf8)))
  }

  /// The SHA-256 of a guide's bytes.
  public static func sha256(_ text: String) -> String {
    hex(SHA256.hash(data: Data(text.utf8)))
  }

  static func hex(_ digest: SHA256.Digest) -> String {
    JournalCoding.hex(digest)
  }
}

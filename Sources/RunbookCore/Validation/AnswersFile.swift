import Foundation

/// Reads `--answers FILE.yaml`: a map of input id to value.
public enum AnswersFile {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  public static func load(_ path: String) throws(Failure) -> [String: String] {
    let text: String
    do {
      text = try GuideLoader.read(path, as: .answers)
    } catch {
      throw Failure(description: error.description)
    }
    let node: YAMLNode?
    do {
      node = try YAMLComposer.compose(text)
    } catch {
      throw Failure(
        description:
          "\(path):\(error.line): not valid YAML (\(error.problem)); write one `id: value` per line")
    }
    guard let node else { return [:] }
    guard let mapping = node.mapping else {
      throw Failure(description: "\(path): must be a map of input ids to values, such as `region: us-east-1`")
    }
    var out: [String: String] = [:]
    for pair in mapping {
      let (key, value) = (pair.key, pair.value)
      guard let name = key.string, let scalar = value.string else {
        throw Failure(
          description:
            "\(path): the value of `\(key.string ?? "?")` must be a single value, not a list or map")
      }
      out[Placeholder.normalize(name)] = scalar
    }
    return out
  }
}

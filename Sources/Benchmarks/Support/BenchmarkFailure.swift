/// A benchmark that cannot run or finish, with what to do about it.
public struct BenchmarkFailure: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// A kernel file whose text does not have the expected shape. The collector drops that section
/// of the snapshot and logs this as a warning.
public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// A fleet that cannot start or a file it cannot read, said in one sentence that names what to fix.
public struct FleetError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

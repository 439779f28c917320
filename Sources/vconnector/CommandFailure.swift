/// A failure to report as "Error: <message>" with exit status 1 (not a usage error: no usage text).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

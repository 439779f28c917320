import Hummingbird

extension Request {
    /// A header by its lower-case name (also for headers HTTPTypes has no constant for).
    func header(_ canonicalName: String) -> String? {
        headers.first { $0.name.canonicalName == canonicalName }?.value
    }
}

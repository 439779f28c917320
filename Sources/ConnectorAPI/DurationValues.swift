// A Duration as the numbers the rest of the code needs: seconds for figures people read and JSON, whole
// milliseconds for the timeouts of poll() and semaphores. One definition, below every module that times things.

extension Duration {
    /// The duration in seconds, attoseconds included.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The duration in milliseconds.
    public var milliseconds: Double { seconds * 1000 }

    /// Whole milliseconds, rounded down.
    public var wholeMilliseconds: Int {
        Int(clamping: components.seconds.multipliedReportingOverflow(by: 1000).partialValue + components.attoseconds / 1_000_000_000_000_000)
    }
}

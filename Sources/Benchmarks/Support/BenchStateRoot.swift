import Foundation
import Logging
import SiteNetwork

/// A lab benchmark's own state root in the temporary directory, and the reconciler over it, logging only
/// warnings (progress is the benchmark's to report). The caller removes it with `remove()`.
struct BenchStateRoot {
    let path: String
    let logger: Logger
    let reconciler: SiteReconciler

    /// `name` tells whose it is: `vconnector-bench-<name>-<random>`.
    init(_ name: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vconnector-bench-\(name)-\(UInt32.random(in: 0...UInt32.max))").path
        var quiet = Logger(label: "vconnector.bench")
        quiet.logLevel = .warning
        logger = quiet
        reconciler = SiteReconciler(stateRoot: path, logger: quiet)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

import Foundation

/// A network namespace made for one test, with a unique marked name, removed on `remove()` or deinit
/// even when the test fails. Created with iproute2, as an operator would.
public final class TestNamespace {
    public let name: String

    /// Creates `vct-<tag>-<random>`; the vct- prefix marks it as ours for crash cleanup.
    public init(_ tag: String) throws {
        name = "vct-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
        try Self.ip(["netns", "add", name])
    }

    deinit { remove() }

    /// Runs `ip -n <namespace> ...`.
    public func ip(_ arguments: [String]) throws {
        try Self.ip(["-n", name] + arguments)
    }

    public func remove() {
        _ = try? Self.ip(["netns", "del", name])
    }

    /// True when this process may create namespaces (root).
    public static var isAvailable: Bool { getuid() == 0 && ["/usr/sbin/ip", "/sbin/ip"].contains { FileManager.default.isExecutableFile(atPath: $0) } }

    @discardableResult
    public static func ip(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TestNamespaceError(description: "ip \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }
}

public struct TestNamespaceError: Error, CustomStringConvertible {
    public let description: String
}

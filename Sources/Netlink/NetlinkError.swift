import CNetlink

/// A libnl or system call failure, with the library's own error text.
public struct NetlinkError: Error, CustomStringConvertible, Sendable {
    /// What was being done, e.g. "dump links".
    public let operation: String
    /// libnl's (positive) error code, or errno for system calls.
    public let code: Int32
    public let message: String

    /// An error from a libnl call that returned a negative NLE_* code.
    static func libnl(_ operation: String, _ result: Int32) -> NetlinkError {
        NetlinkError(operation: operation, code: -result, message: String(cString: nl_geterror(result)))
    }

    /// An error from a system call that set errno.
    static func system(_ operation: String, errno code: Int32) -> NetlinkError {
        NetlinkError(operation: operation, code: code, message: String(cString: strerror(code)))
    }

    public var description: String { "\(operation): \(message)" }
}

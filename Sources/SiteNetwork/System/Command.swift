import CGlibcExtras
import Foundation

/// Runs programs (iproute2, dnsmasq, busybox) and reports failures with what the program said.
/// `package`: the reconcile benchmark builds its `ip -batch` baseline with it.
package enum Command {
    /// Runs `executable arguments` to completion; throws with its stderr when it exits non-zero.
    ///
    /// posix_spawn and waitpid, not Foundation's Process: a program that daemonizes (dnsmasq, udhcpc -b)
    /// leaves Process waiting on Linux even after the direct child exited. Output goes to files, not pipes,
    /// because the daemon keeps the descriptors it inherited.
    @discardableResult
    package static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let path = try path(of: executable)
        let directory = FileManager.default.temporaryDirectory.path
        let outputPath = "\(directory)/vconnector-\(UUID().uuidString).out"
        let errorPath = "\(directory)/vconnector-\(UUID().uuidString).err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        let pid = try spawn(path, arguments, output: outputPath, error: errorPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errorText = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        let code = exitCode(status)
        guard code == 0 else {
            throw CommandError(
                command: ([executable] + arguments).joined(separator: " "), status: code,
                output: errorText.isEmpty ? text : errorText)
        }
        return text
    }

    /// Starts `path arguments` (no shell) with stdin from /dev/null and stdout and stderr to the files given;
    /// the caller waits for it (`waitpid`).
    static func spawn(_ path: String, _ arguments: [String], output outputPath: String, error errorPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else of ours goes to the child: a daemon would keep it open for its whole life (our sockets,
        // the pipe or socket a parent watches to see us exit: `bench agent`'s Process waited forever for an
        // agent whose dnsmasq held it).
        _ = vc_spawn_close_from(&actions, 3)
        // A clean signal state: Dispatch and Swift concurrency threads block signals, and a child inherits
        // the mask, so a daemon spawned from one would ignore SIGTERM for good.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw CommandError(command: path, status: 127, output: String(cString: strerror(spawned)))
        }
        return pid
    }

    /// A wait status as a shell reports it: the exit code, or 128 + the signal that ended the program.
    static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Runs a program inside network namespace `namespace` (`ip netns exec`).
    @discardableResult
    package static func run(in namespace: String, _ executable: String, _ arguments: [String]) throws -> String {
        try run("ip", ["netns", "exec", namespace, try path(of: executable)] + arguments)
    }

    /// The absolute path of `name` in the usual system directories (root's PATH may lack /usr/sbin).
    static func path(of name: String) throws -> String {
        if name.hasPrefix("/") { return name }
        let directories =
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        throw CommandError(
            command: name, status: 127, output: "\(name) is not installed (scripts/install-deps installs it)")
    }

    static func isInstalled(_ name: String) -> Bool { (try? path(of: name)) != nil }
}

/// A program that failed, with its exit status and what it printed.
public struct CommandError: Error, CustomStringConvertible, Sendable {
    public let command: String
    public let status: Int32
    public let output: String

    public var description: String {
        "`\(command)` failed (exit \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
    }
}

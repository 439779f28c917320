import Foundation
import SiteNetwork

/// A real PostgreSQL server for the tests of one test process: initdb into a temporary directory, started by pg_ctl
/// on a unix socket in that directory only (no TCP port to collide on), stopped and removed when the process exits.
/// As root, the server runs as `nobody` (initdb refuses root), through setpriv. Each test gets its own database
/// (`makeDatabase`), dropped with `dropDatabase`.
final class TestPostgres: Sendable {
    /// The server's binaries; Debian's postgresql package puts them here, newest major version first.
    static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }()

    /// Why PostgreSQL tests cannot run here, or nil when they can.
    static var unavailableReason: String? {
        binDirectory == nil ? "PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/install-deps installs postgresql)" : nil
    }

    /// The process's server, started on first use; nil (with `startError`) when it could not start.
    static let shared: Result<TestPostgres, TestPostgresError> = {
        do {
            let server = try TestPostgres()
            atexit { if case .success(let server) = TestPostgres.shared { server.stop() } }
            return .success(server)
        } catch let error as TestPostgresError {
            return .failure(error)
        } catch {
            return .failure(TestPostgresError(message: "\(error)"))
        }
    }()

    /// The directory of the server's socket (`?host=` of a URL).
    let socketDirectory: String
    /// Seconds initdb and pg_ctl start took.
    let startSeconds: Double
    private let directory: String
    private let bin: String

    private init() throws {
        guard let bin = Self.binDirectory else { throw TestPostgresError(message: Self.unavailableReason ?? "no PostgreSQL") }
        self.bin = bin
        let started = Date()
        // /tmp, not $TMPDIR: the server user must be able to reach it (a TMPDIR under /root is closed to nobody).
        directory = "/tmp/vct-postgres-\(getpid())-\(UUID().uuidString.prefix(8))"
        socketDirectory = directory + "/run"
        let data = directory + "/data"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for path in [data, socketDirectory] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            if geteuid() == 0 { try Self.run("/bin/chown", ["nobody:nogroup", path]) }
        }
        // No fsync and no locale: a throwaway server; C collation as SQLite compares text.
        try Self.runAsServerUser(bin, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "--no-locale", "-E", "UTF8", "--no-instructions"])
        let options = [
            "-k \(socketDirectory)", "-c listen_addresses=", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=400", "-c shared_buffers=64MB",
        ].joined(separator: " ")
        try Self.runAsServerUser(bin, "pg_ctl", ["start", "-D", data, "-w", "-s", "-l", socketDirectory + "/server.log", "-o", options])
        startSeconds = Date().timeIntervalSince(started)
    }

    /// A new, empty database; returns its `postgres://` URL (over the socket).
    func makeDatabase(prefix: String = "vct") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Drops a database made by `makeDatabase`, closing connections still open to it.
    func dropDatabase(url: String) {
        guard let name = url.split(separator: "/").last?.split(separator: "?").first, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return
        }
        try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    func url(database: String) -> String { "postgres://postgres@localhost/\(database)?host=\(socketDirectory)" }

    /// Runs one statement as the superuser (outside any transaction: CREATE DATABASE needs that).
    func psql(_ sql: String, database: String = "postgres") throws {
        try Self.run("\(bin)/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-U", "postgres", "-d", database, "-c", sql])
    }

    func stop() {
        try? Self.runAsServerUser(bin, "pg_ctl", ["stop", "-D", directory + "/data", "-m", "immediate", "-s"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func runAsServerUser(_ bin: String, _ tool: String, _ arguments: [String]) throws {
        if geteuid() == 0 {
            try run("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "\(bin)/\(tool)"] + arguments)
        } else {
            try run("\(bin)/\(tool)", arguments)
        }
    }

    /// posix_spawn and waitpid (SiteNetwork's `Command`), not Foundation's Process: pg_ctl leaves a daemon that
    /// would keep Process's exit watch open, and Process would wait for the server's end.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        do {
            try Command.run(executable, arguments)
        } catch let error as CommandError {
            throw TestPostgresError(message: "\((executable as NSString).lastPathComponent) \(arguments.first ?? ""): exit \(error.status): \(error.output)")
        }
    }
}

struct TestPostgresError: Error, CustomStringConvertible, Sendable {
    let message: String
    var description: String { "test PostgreSQL: \(message)" }
}

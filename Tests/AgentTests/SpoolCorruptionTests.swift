import Foundation
import Synchronization
import Testing

@testable import Agent

/// A corrupt spool database is moved aside (kept, counted, logged) and a new one started: the agent runs on.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct SpoolCorruptionTests {
    /// A state dir whose spool.sqlite is garbage, or a real spool cut in half.
    enum Damage: CaseIterable { case garbage, truncated }

    func damagedStateDirectory(_ damage: Damage) throws -> (directory: String, bytes: Data) {
        let directory = temporaryStateDirectory()
        let path = directory + "/" + Spool.fileName
        switch damage {
        case .garbage:
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let bytes = Data((0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
            try bytes.write(to: URL(fileURLWithPath: path))
        case .truncated:
            var spool: Spool? = try Spool(directory: directory, limit: 100_000)
            for index in 0..<3000 {
                _ = try spool?.append(.snapshot, now: Double(index)) { _ in
                    Data(String(repeating: "s\(index)", count: 40).utf8)
                }
            }
            spool = nil  // closed: the WAL is checkpointed into the file and removed
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size > 100_000)
            #expect(truncate(path, off_t(size / 2)) == 0)
        }
        return (directory, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(
        "at open: moved aside as spool.corrupt-<time>.sqlite with its bytes, reported once, a fresh spool works",
        arguments: Damage.allCases)
    func movedAsideAtOpen(_ damage: Damage) throws {
        let (directory, bytes) = try damagedStateDirectory(damage)
        let reports = LockedList()
        let spool = try Spool(directory: directory, limit: 100) { movedTo, reason in
            reports.append("\(movedTo)|\(reason)")
        }
        #expect(reports.items.count == 1)
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("spool.corrupt-") && $0.hasSuffix(".sqlite")
        }
        #expect(aside.count == 1, "\(aside)")
        if let name = aside.first {
            #expect(reports.items.first?.hasPrefix(directory + "/" + name + "|") == true)
            #expect(
                FileManager.default.contents(atPath: directory + "/" + name) == bytes, "kept as it was, for inspection")
        }
        #expect(try spool.count() == 0)
        #expect(try spool.append(.event, now: 5) { _ in Data("{}".utf8) }.stamp == Stamp(t: 5, n: 0))
        #expect(try spool.count() == 1)
    }

    @Test(
        "corrupt while open (another process breaks the schema): the failing call moves it aside, the next one works",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"),
            "needs /usr/bin/sqlite3 to damage a live database"))
    func movedAsideWhileOpen() throws {
        let directory = temporaryStateDirectory()
        let reports = LockedList()
        let spool = try Spool(directory: directory, limit: 100) { movedTo, reason in
            reports.append("\(movedTo)|\(reason)")
        }
        for index in 0..<5 { _ = try spool.append(.event, now: Double(index)) { _ in Data("{}".utf8) } }
        #expect(try spool.count() == 5)
        // The records table's root page now points past the end of the file; the schema version change makes the
        // spool's connection read the damaged schema at its next statement.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [
            directory + "/" + Spool.fileName,
            """
            PRAGMA writable_schema = ON; UPDATE sqlite_master SET rootpage = 99999 WHERE name = 'records';
            PRAGMA schema_version = 4242;
            """,
        ]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        #expect { try spool.count() } throws: { ($0 as? SpoolError)?.code == .movedAside }
        #expect(reports.items.count == 1, "\(reports.items)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).contains {
                $0.hasPrefix("spool.corrupt-") && $0.hasSuffix(".sqlite")
            })
        #expect(try spool.count() == 0)
        #expect(try spool.append(.event, now: 10) { _ in Data("{}".utf8) }.stamp == Stamp(t: 10, n: 0))
    }

    @Test("the agent with a corrupt spool starts, counts and logs it, and keeps checking in and delivering")
    func agentRunsOn() async throws {
        let (directory, _) = try damagedStateDirectory(.garbage)
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let logs = CapturedLogs()
        let agent = try Agent(
            configuration: testConfiguration(mock: mock, connector: connector, stateDirectory: directory),
            logger: logs.logger(level: .info),
            snapshotSource: countersOnlySnapshot
        )
        #expect(agent.statistics.spoolsMovedAside == 1)
        #expect(logs.lines(.warning, containing: "the spool database is corrupt; moved aside").count == 1)
        let running = launch(agent)
        #expect(await eventually { agent.latestConnector != nil }, "check-ins work")
        #expect(try await eventually { try await mock.events(connector: connector).map(\.kind) == ["Init"] })
        #expect(try await eventually { try await mock.snapshots(connector: connector).count >= 3 })
        agent.stop()
        await running.value
    }
}

/// Strings appended from any thread.
final class LockedList: Sendable {
    private let list = Mutex<[String]>([])
    var items: [String] { list.withLock { $0 } }
    func append(_ item: String) { list.withLock { $0.append(item) } }
}

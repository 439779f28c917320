import Foundation
import Testing

/// `mock-api --db postgres://...` from the command line: help explains it, and the URL's password appears in no
/// output, whether the URL is refused or the server cannot be reached.
@Suite("vconnector mock-api --db postgres://")
struct MockAPIPostgresOptionTests {
    @Test func helpExplainsPostgres() throws {
        let run = try CLI.run(["mock-api", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME") && run.stdout.contains("replicas"), "\(run.stdout)")
    }

    @Test("a bad URL is refused before anything starts, without its password")
    func badURL() throws {
        let run = try CLI.run(["mock-api", "--listen", "127.0.0.1:0", "--db", "postgres://mock:hunter2-secret@db.example/mockapi?sslmode=require"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--db: bad PostgreSQL URL postgres://mock:***@db.example/mockapi"), "\(run.stderr)")
        #expect(!(run.stdout + run.stderr).contains("hunter2"))
    }

    @Test("an unreachable server is a clear error, without the password")
    func unreachable() throws {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let run = try CLI.run(["mock-api", "--listen", "127.0.0.1:0", "--db", "postgres://mock:hunter2-secret@127.0.0.1:1/mockapi"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("cannot connect to postgres://mock:***@127.0.0.1:1/mockapi"), "\(run.stderr)")
        #expect(!(run.stdout + run.stderr).contains("hunter2"))
    }
}

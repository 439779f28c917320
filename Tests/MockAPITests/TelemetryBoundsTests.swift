import Foundation
import Testing

/// Telemetry a device could not have recorded: times that are not instants of this era, strings and items far
/// larger than any kernel value. Refused with 422 naming the field; nothing of the batch is stored.
@Suite("Telemetry bounds")
struct TelemetryBoundsTests {
    /// The fixture snapshot as JSON text with `t` written verbatim (so 1e400 reaches the server as sent).
    static func snapshotText(t: String, change: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        var object = try snapshotBody(t: 0)
        change(&object)
        object["t"] = "T-PLACEHOLDER"
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return text.replacingOccurrences(of: #""T-PLACEHOLDER""#, with: t)
    }

    private func storedCount(_ client: TestClient, _ connector: String) async throws -> (Int, Int) {
        let base = Paths.telemetry(connector)
        let snapshots = try await client.get("\(base)/snapshots?from=0&to=1e12").object["count"] as? Int ?? -1
        let events = try await client.get("\(base)/events?from=0&to=1e12").object["count"] as? Int ?? -1
        return (snapshots, events)
    }

    @Test("t that is infinite (1e400), negative or more than a day ahead is refused, naming t")
    func absurdTimes() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector(["device": ["id": "clock"]])["id"] as? String)
            let base = Paths.telemetry(connector)
            let future = Int(Date().timeIntervalSince1970) + 2 * 86_400
            for t in ["1e400", "-1e400", "-1", "-0.5", "\(future)", "1e15"] {
                let single = try await client.send("POST", "\(base)/snapshots", raw: try Self.snapshotText(t: t))
                expectFailure(single, status: 422, code: Code.invalidValue, mentions: "t:")
                let batch = try await client.send("POST", "\(base)/snapshots", raw: "[\(try Self.snapshotText(t: "100")),\(try Self.snapshotText(t: t))]")
                expectFailure(batch, status: 422, code: Code.invalidValue, mentions: "[1].t")
                let events = try await client.send("POST", "\(base)/events", raw: #"[{"e":{"k":"Init"},"n":0,"t":5},{"e":{"k":"Init"},"n":1,"t":\#(t)}]"#)
                expectFailure(events, status: 422, code: Code.invalidValue, mentions: "[1].t")
            }
            #expect(try await storedCount(client, connector) == (0, 0), "a refused batch stored something")
            // The edges stay accepted: the epoch itself, and a device clock an hour fast.
            let soon = Int(Date().timeIntervalSince1970) + 3600
            #expect(try await client.send("POST", "\(base)/snapshots", raw: try Self.snapshotText(t: "0")).status == 200)
            #expect(try await client.send("POST", "\(base)/snapshots", raw: try Self.snapshotText(t: "\(soon)")).status == 200)
            #expect(try await client.send("POST", "\(base)/events", raw: #"[{"e":{"k":"Init"},"n":0,"t":\#(soon)}]"#).status == 200)
        }
    }

    @Test("a string over 4 KiB anywhere in a snapshot or event is refused naming its field; 4 KiB is fine")
    func longStrings() async throws {
        try await withServer { server in
            let client = server.client
            let connector = try #require(try await client.createConnector(["device": ["id": "strings"]])["id"] as? String)
            let base = Paths.telemetry(connector)
            let long = String(repeating: "a", count: 4097)
            let version = try Self.snapshotText(t: "10") { $0["v"] = long }
            expectFailure(try await client.send("POST", "\(base)/snapshots", raw: version), status: 422, code: Code.invalidValue, mentions: "v: is longer than 4096")
            let mount = try Self.snapshotText(t: "11") { object in
                var mounts = object["mounts"] as! [[String: Any]]
                mounts[0]["mount_point"] = "/" + String(repeating: "\u{1B}", count: 5000)
                object["mounts"] = mounts
            }
            expectFailure(try await client.send("POST", "\(base)/snapshots", raw: "[\(try Self.snapshotText(t: "9")),\(mount)]"), status: 422, code: Code.invalidValue, mentions: "[1].mounts[0].mount_point")
            let key = try Self.snapshotText(t: "12") { $0[String(repeating: "k", count: 5000)] = 1 }
            expectFailure(try await client.send("POST", "\(base)/snapshots", raw: key), status: 422, code: Code.invalidValue, mentions: "long key")
            let url = "http://x/" + String(repeating: "u", count: 5000)
            let event = #"[{"e":{"k":"StartUpgrade","url":"\#(url)"},"n":0,"t":5}]"#
            expectFailure(try await client.send("POST", "\(base)/events", raw: event), status: 422, code: Code.invalidValue, mentions: "[0].e.url")
            #expect(try await storedCount(client, connector) == (0, 0), "a refused item was stored")

            let atLimit = try Self.snapshotText(t: "13") { $0["v"] = String(repeating: "b", count: 4096) }
            #expect(try await client.send("POST", "\(base)/snapshots", raw: atLimit).status == 200)
        }
    }
}

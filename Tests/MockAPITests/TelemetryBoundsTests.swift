import ConnectorAPI
import Foundation
import Hummingbird
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

    private func storedCount(_ api: RouterClient, _ connector: String) async throws -> (Int, Int) {
        let base = Paths.telemetry(connector)
        let snapshots =
            try await api.get(TelemetryPage<SnapshotMetadata>.self, "\(base)/snapshots?from=0&to=1e12").result?.count
            ?? -1
        let events =
            try await api.get(TelemetryPage<EventMetadata>.self, "\(base)/events?from=0&to=1e12").result?.count ?? -1
        return (snapshots, events)
    }

    private func post(_ api: RouterClient, _ path: String, raw text: String) async throws -> RouterResponse {
        try await api.send(.post, path, raw: Data(text.utf8))
    }

    @Test("t that is infinite (1e400), negative or more than a day ahead is refused, naming t")
    func absurdTimes() async throws {
        try await withRouter { api in
            let connector = try await api.createConnector(ConnectorFields(device: ConnectorDeviceOptions(id: "clock")))
                .id
            let base = Paths.telemetry(connector)
            let future = Int(Date().timeIntervalSince1970) + 2 * 86_400
            for t in ["1e400", "-1e400", "-1", "-0.5", "\(future)", "1e15"] {
                let single = try await post(api, "\(base)/snapshots", raw: try Self.snapshotText(t: t))
                expectFailure(single, status: .unprocessableContent, code: Code.invalidValue, mentions: "t:")
                let batch = try await post(
                    api, "\(base)/snapshots", raw: "[\(try Self.snapshotText(t: "100")),\(try Self.snapshotText(t: t))]"
                )
                expectFailure(batch, status: .unprocessableContent, code: Code.invalidValue, mentions: "[1].t")
                let events = try await post(
                    api, "\(base)/events", raw: #"[{"e":{"k":"Init"},"n":0,"t":5},{"e":{"k":"Init"},"n":1,"t":\#(t)}]"#)
                expectFailure(events, status: .unprocessableContent, code: Code.invalidValue, mentions: "[1].t")
            }
            #expect(try await storedCount(api, connector) == (0, 0), "a refused batch stored something")
            // The edges stay accepted: the epoch itself, and a device clock an hour fast.
            let soon = Int(Date().timeIntervalSince1970) + 3600
            #expect(try await post(api, "\(base)/snapshots", raw: try Self.snapshotText(t: "0")).status == .ok)
            #expect(try await post(api, "\(base)/snapshots", raw: try Self.snapshotText(t: "\(soon)")).status == .ok)
            #expect(
                try await post(api, "\(base)/events", raw: #"[{"e":{"k":"Init"},"n":0,"t":\#(soon)}]"#).status == .ok)
        }
    }

    @Test("a string over 4 KiB anywhere in a snapshot or event is refused naming its field; 4 KiB is fine")
    func longStrings() async throws {
        try await withRouter { api in
            let connector = try await api.createConnector(
                ConnectorFields(device: ConnectorDeviceOptions(id: "strings"))
            ).id
            let base = Paths.telemetry(connector)
            let long = String(repeating: "a", count: 4097)
            let version = try Self.snapshotText(t: "10") { $0["v"] = long }
            expectFailure(
                try await post(api, "\(base)/snapshots", raw: version), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "v: is longer than 4096")
            let mount = try Self.snapshotText(t: "11") { object in
                var mounts = object["mounts"] as! [[String: Any]]
                mounts[0]["mount_point"] = "/" + String(repeating: "\u{1B}", count: 5000)
                object["mounts"] = mounts
            }
            expectFailure(
                try await post(api, "\(base)/snapshots", raw: "[\(try Self.snapshotText(t: "9")),\(mount)]"),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "[1].mounts[0].mount_point")
            let key = try Self.snapshotText(t: "12") { $0[String(repeating: "k", count: 5000)] = 1 }
            expectFailure(
                try await post(api, "\(base)/snapshots", raw: key), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "long key")
            let url = "http://x/" + String(repeating: "u", count: 5000)
            let event = #"[{"e":{"k":"StartUpgrade","url":"\#(url)"},"n":0,"t":5}]"#
            expectFailure(
                try await post(api, "\(base)/events", raw: event), status: .unprocessableContent,
                code: Code.invalidValue, mentions: "[0].e.url")
            #expect(try await storedCount(api, connector) == (0, 0), "a refused item was stored")

            let atLimit = try Self.snapshotText(t: "13") { $0["v"] = String(repeating: "b", count: 4096) }
            #expect(try await post(api, "\(base)/snapshots", raw: atLimit).status == .ok)
        }
    }
}

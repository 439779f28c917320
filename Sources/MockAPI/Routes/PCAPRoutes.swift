import ConnectorAPI
import Foundation
import Hummingbird

/// Packet captures (seed 003 "PCAPs"): `/accounts/:account_id/pcaps[/:pcap_id[/stop|/download]]`. Stored as
/// account-level objects (kind pcap); the status is derived from the clock when served (`PCAPTimeline`).
extension PacketCapture: UntimedMagicObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "pcaps", key: "pcap", noun: "packet capture",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/pcaps/"
        )
    }

    var missingRequiredField: String? { nil }

    func merged(with patch: PacketCapture) -> PacketCapture { self }

    static func prepare(_ value: PacketCapture, scope: AccountScope, existing: PacketCapture?) throws -> PacketCapture {
        guard existing == nil else { return value }
        let buckets = try MagicObjectStore.list(PCAPOwnership.self, db: scope.db, account: scope.account)
            .filter { $0.status == "success" }.compactMap(\.destinationConf)
        try PCAPValidation.validate(value, buckets: Set(buckets), now: Date())
        return value
    }

    /// As documented for its type (a simple capture has no bucket, limits or counts; a full one no offset), with
    /// the status of this moment and no stored clock readings.
    func served(objectTargets: Bool) -> PacketCapture {
        var capture = self
        capture.status = PCAPTimeline.status(of: self, now: Date().timeIntervalSince1970)
        capture.packetLimit = nil
        if isFull {
            capture.offsetTime = nil
            capture.packetsCaptured = ["complete", "conversion_running", "conversion_pending"].contains(capture.status) ? 0 : nil
        } else {
            (capture.byteLimit, capture.coloName, capture.destinationConf, capture.stopRequested) = (nil, nil, nil, nil)
            capture.errorMessage = nil
        }
        (capture.submittedUnix, capture.stopRequestedUnix) = (nil, nil)
        (capture.claimedBy, capture.claimedUnix, capture.uploaded) = (nil, nil, nil)
        return capture
    }
}

extension MagicObjectRoutes where Object == PacketCapture {
    /// `/accounts/:account_id/pcaps`, outside `magic/` as documented.
    func registerPCAPs(on accounts: AccountRouter) {
        let pcaps = group(on: accounts, "pcaps")
        pcaps.get { request, context -> Response in
            let account = try context.account
            let captures = try await services.store.writer.read { db in try MagicObjectStore.list(PacketCapture.self, db: db, account: account) }
            return try JSONResponse.ok(captures.map { $0.served(objectTargets: false) })
        }
        pcaps.post { request, context -> Response in
            let account = try context.account
            var body = try await services.body.decode(PacketCapture.self, from: request)
            let now = Date()
            (body.status, body.submitted, body.submittedUnix) = ("pending", MockStore.timestamp(now), now.timeIntervalSince1970)
            (body.stopRequested, body.stopRequestedUnix, body.packetsCaptured, body.errorMessage) = (nil, nil, nil, nil)
            (body.claimedBy, body.claimedUnix, body.uploaded) = (nil, nil, nil)
            let created = try await change(request, account: account) { [body] scope in try Self.insert(body, scope: scope) }
            return try JSONResponse.ok(created.served(objectTargets: false))
        }
        pcaps.get(":object_id") { request, context -> Response in
            let (account, id) = (try context.account, try context.path("object_id"))
            let capture = try await services.store.writer.read { db in try MagicObjectStore.require(PacketCapture.self, db: db, account: account, id: id) }
            return try JSONResponse.ok(capture.served(objectTargets: false))
        }
        pcaps.put(":object_id/stop", use: stop)
        pcaps.get(":object_id/download", use: download)
    }

    /// A full capture that is still pending or running stops early (`stop_requested`); anything else is 409.
    private func stop(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("object_id"))
        try await services.store.writer.write { db in
            var capture = try MagicObjectStore.require(PacketCapture.self, db: db, account: account, id: id)
            let now = Date()
            let status = PCAPTimeline.status(of: capture, now: now.timeIntervalSince1970)
            guard capture.isFull else { throw APIError.conflict("packet capture '\(id)' is simple; only full captures stop early") }
            guard ["pending", "running"].contains(status) else { throw APIError.conflict("packet capture '\(id)' is \(status); nothing to stop") }
            (capture.stopRequested, capture.stopRequestedUnix) = (MockStore.timestamp(now), now.timeIntervalSince1970)
            try MagicObjectStore.save(capture, db: db, account: account)
        }
        return JSONResponse.raw(resultJSON: "null".utf8)
    }

    /// A simple capture that succeeded: the pcap file its connector uploaded (`PCAPCaptureRoutes`), or an empty one
    /// when no connector claimed it. Full captures go to their bucket; unfinished ones are 409.
    private func download(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("object_id"))
        let (capture, file) = try await services.store.writer.read { db in
            let capture = try MagicObjectStore.require(PacketCapture.self, db: db, account: account, id: id)
            return (capture, capture.uploaded == true ? try PCAPFileStore.get(db: db, pcap: id) : nil)
        }
        guard !capture.isFull else { throw APIError.conflict("packet capture '\(id)' is full: it is written to \(capture.destinationConf ?? "its bucket"), not downloaded") }
        let status = PCAPTimeline.status(of: capture, now: Date().timeIntervalSince1970)
        guard status == "success" else { throw APIError.conflict("packet capture '\(id)' is \(status); download it once it is success") }
        return Response(
            status: .ok, headers: [.contentType: "application/vnd.tcpdump.pcap", .contentDisposition: "attachment; filename=\"\(id).pcap\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: file ?? Data(PCAPTimeline.emptyFile)))
        )
    }
}

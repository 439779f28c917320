import ConnectorAPI
import Foundation
import Hummingbird

/// Buckets for full captures (seed 003 "Ownership"): `/accounts/:account_id/pcaps/ownership[/:ownership_id|/validate]`.
/// Adding one issues a challenge filename; the mock cannot read buckets, so validate succeeds when the caller
/// names that file (as if it had been found in the bucket) and is 422 otherwise. Only validated buckets take
/// full captures.
extension PCAPOwnership: UntimedMagicObject {
    static var family: MagicFamily {
        MagicFamily(
            segment: "pcaps/ownership", key: "pcap_ownership", noun: "bucket",
            documentationURL: "https://developers.cloudflare.com/api/resources/magic_transit/subresources/pcaps/subresources/ownership/"
        )
    }

    var missingRequiredField: String? { destinationConf == nil ? "destination_conf" : nil }

    func merged(with patch: PCAPOwnership) -> PCAPOwnership { self }

    static func prepare(_ value: PCAPOwnership, scope: AccountScope, existing: PCAPOwnership?) throws -> PCAPOwnership {
        guard existing == nil else { return value }
        try PCAPValidation.destination(value.destinationConf)
        let others = try MagicObjectStore.list(PCAPOwnership.self, db: scope.db, account: scope.account)
        if let other = others.first(where: { $0.destinationConf == value.destinationConf }) {
            throw APIError.conflict("destination_conf: bucket '\(other.id ?? "")' is already registered")
        }
        return value
    }
}

extension MagicObjectRoutes where Object == PCAPOwnership {
    func registerPCAPOwnership(on accounts: AccountRouter) {
        let buckets = group(on: accounts, "pcaps/ownership")
        buckets.get { request, context -> Response in
            let account = try context.account
            return try JSONResponse.ok(try await services.store.writer.read { db in try MagicObjectStore.list(PCAPOwnership.self, db: db, account: account) })
        }
        buckets.post { request, context -> Response in
            let account = try context.account
            let body = try await services.body.decode(PCAPOwnership.self, from: request)
            let bucket = PCAPOwnership(
                destinationConf: body.destinationConf, filename: "ownership-challenge-\(Identifier.hex(bytes: 8)).txt", status: "pending",
                submitted: MockStore.timestamp()
            )
            return try JSONResponse.ok(try await change(request, account: account) { scope in try Self.insert(bucket, scope: scope) })
        }
        buckets.delete(":object_id") { request, context -> Response in
            let (account, id) = (try context.account, try context.path("object_id"))
            _ = try await change(request, account: account) { scope in try Self.delete(id: id, scope: scope) }
            return JSONResponse.raw(resultJSON: "null".utf8)
        }
        buckets.post("validate") { request, context -> Response in
            let account = try context.account
            let body = try await services.body.decode(PCAPOwnership.self, from: request)
            try PCAPValidation.destination(body.destinationConf)
            guard let challenge = body.ownershipChallenge else { throw APIError.missing("ownership_challenge") }
            let validated = try await services.store.writer.write { db in
                guard var bucket = try MagicObjectStore.list(PCAPOwnership.self, db: db, account: account).first(where: { $0.destinationConf == body.destinationConf }) else {
                    throw APIError.notFound("bucket", TextRules.printable(body.destinationConf ?? "", limit: 80))
                }
                guard challenge == bucket.filename else {
                    throw APIError.invalid("ownership_challenge", "\(Rules.quoted(challenge)) is not the challenge issued for this bucket")
                }
                if bucket.status != "success" { (bucket.status, bucket.validated) = ("success", MockStore.timestamp()) }
                try MagicObjectStore.save(bucket, db: db, account: account)
                return bucket
            }
            return try JSONResponse.ok(validated)
        }
    }
}

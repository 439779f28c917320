import ConnectorAPI
import Foundation
import Hummingbird

/// Catalog syncs: `/accounts/:account_id/magic/cloud/catalog-syncs[/:sync_id[/refresh]]` and
/// `/prebuilt-policies`. Errors use the documented Magic Cloud Networking item shape (MCNError).
struct CatalogSyncRoutes {
    let services: Services

    static let maxNameLength = 256
    static let maxDescriptionLength = 1024

    func register(on accounts: AccountRouter) {
        accounts.mcnGroup("magic/cloud/catalog-syncs")
            .get(use: list)
            .post(use: create)
            .get("prebuilt-policies", use: prebuilt)
            .get(":sync_id", use: get)
            .put(":sync_id") { try await update($0, $1, replace: true) }
            .patch(":sync_id") { try await update($0, $1, replace: false) }
            .delete(":sync_id", use: delete)
            .post(":sync_id/refresh", use: refresh)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let syncs = try await services.store.writer.read { db in try CatalogSyncStore.list(db: db, account: account) }
        return try JSONResponse.ok(syncs)
    }

    private func prebuilt(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        var policies = PrebuiltPolicies.all
        if let text = request.uri.queryParameters.get("destination_type") {
            guard let destination = CatalogSyncDestinationType(rawValue: text) else {
                throw APIError.query("destination_type", "'\(text)' is not one of \(Self.allowed(CatalogSyncDestinationType.self))")
            }
            policies = policies.filter { $0.applicableDestinations.contains(destination) }
        }
        return try JSONResponse.ok(policies)
    }

    private func get(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let id = try syncID(context)
        let sync = try await services.store.writer.read { db in try CatalogSyncStore.require(db: db, account: account, id: id) }
        return try JSONResponse.ok(sync)
    }

    private func create(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let body = try await services.body.decode(CatalogSyncRequest.self, from: request)
        guard let typeText = body.destinationType else { throw APIError.missing("destination_type") }
        guard let nameText = body.name else { throw APIError.missing("name") }
        guard let modeText = body.updateMode else { throw APIError.missing("update_mode") }
        let destinationType = try Self.destinationType(typeText)
        let updateMode = try Self.updateMode(modeText)
        let name = try Self.name(nameText)
        let description = try Self.description(body.description ?? "")
        let policy = try Self.policy(body.policy ?? "")
        let catalog = services.catalog
        let created = try await services.store.writer.write { db in
            guard try !CatalogSyncStore.nameTaken(db: db, account: account, name: name, excluding: nil) else {
                throw Self.nameConflict(name)
            }
            let id = UUID().uuidString.lowercased()
            let destination = destinationType == .zeroTrustList
                ? try GatewayListStore.create(db: db, account: account, syncID: id, syncName: name)
                : CatalogSync.noDestination
            let sync = CatalogSync(
                id: id, name: name, description: description, policy: policy, destinationType: destinationType,
                destinationId: destination, updateMode: updateMode, lastUserUpdateAt: MockStore.timestamp()
            )
            try CatalogSyncStore.insert(db: db, account: account, sync: sync)
            // An AUTO sync fills its destination right away.
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return try CatalogSyncStore.require(db: db, account: account, id: id)
        }
        return try JSONResponse.ok(created, status: .created)
    }

    /// PUT replaces `description` and `policy` (omitted: empty) and keeps an omitted `name` or `update_mode`;
    /// PATCH changes only what the body carries. `destination_type` may be repeated, never changed.
    private func update(_ request: Request, _ context: MockRequestContext, replace: Bool) async throws -> Response {
        let account = try context.account
        let id = try syncID(context)
        let body = try await services.body.decode(CatalogSyncRequest.self, from: request)
        let destinationType = try body.destinationType.map(Self.destinationType)
        let updateMode = try body.updateMode.map(Self.updateMode)
        let name = try body.name.map(Self.name)
        let description = try body.description.map(Self.description)
        let policy = try body.policy.map(Self.policy)
        let catalog = services.catalog
        let updated = try await services.store.writer.write { db in
            var sync = try CatalogSyncStore.require(db: db, account: account, id: id)
            if let destinationType, destinationType != sync.destinationType {
                throw APIError(
                    status: .unprocessableContent, code: ErrorCode.invalidValue,
                    message: "destination_type: cannot change after creation (this sync's is \(sync.destinationType.rawValue)); create a new sync instead",
                    mcn: MCNErrorDetail(pointer: "/destination_type")
                )
            }
            if let name {
                if try CatalogSyncStore.nameTaken(db: db, account: account, name: name, excluding: id) { throw Self.nameConflict(name) }
                sync.name = name
            }
            sync.updateMode = updateMode ?? sync.updateMode
            sync.description = description ?? (replace ? "" : sync.description)
            sync.policy = policy ?? (replace ? "" : sync.policy)
            sync.lastUserUpdateAt = MockStore.timestamp()
            if sync.destinationType == .zeroTrustList { try GatewayListStore.rename(db: db, id: sync.destinationId, syncName: sync.name) }
            try CatalogSyncStore.update(db: db, sync: sync)
            // A changed policy (or a switch to AUTO) reruns an AUTO sync now.
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return try CatalogSyncStore.require(db: db, account: account, id: id)
        }
        return try JSONResponse.ok(updated)
    }

    /// `?delete_destination=true` deletes the sync's Zero Trust list too; by default the list is kept
    /// (policies may still use it), detached from the sync and no longer refreshed.
    private func delete(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let id = try syncID(context)
        let deleteDestination = try Self.boolean(request, "delete_destination") ?? false
        try await services.store.writer.write { db in
            let sync = try CatalogSyncStore.require(db: db, account: account, id: id)
            if sync.destinationType == .zeroTrustList {
                try GatewayListStore.release(db: db, id: sync.destinationId, keep: !deleteDestination)
            }
            try CatalogSyncStore.delete(db: db, id: id)
        }
        return try JSONResponse.ok(CatalogSyncDeleted(id: id))
    }

    /// Runs the policy now (AUTO or MANUAL). The result is the sync's id; a failed run is recorded in the
    /// sync (`errors`, `last_attempted_update_at`) and answered with its error.
    private func refresh(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let id = try syncID(context)
        let catalog = services.catalog
        let outcome = try await services.store.writer.write { db in
            let sync = try CatalogSyncStore.require(db: db, account: account, id: id)
            return try CatalogSyncRunner.run(db: db, account: account, sync: sync, catalog: catalog)
        }
        if let failure = outcome.failure { throw failure }
        return try JSONResponse.ok(id)
    }

    // MARK: - Input checks

    /// The path's sync id, which is documented as a UUID (400 otherwise).
    private func syncID(_ context: MockRequestContext) throws -> String {
        let text = try context.path("sync_id")
        guard UUID(uuidString: text) != nil else {
            throw APIError(
                status: .badRequest, code: ErrorCode.invalidQuery, message: "path parameter sync_id: '\(text)' is not a UUID",
                mcn: MCNErrorDetail(parameter: "sync_id")
            )
        }
        return text.lowercased()
    }

    static func boolean(_ request: Request, _ name: String) throws -> Bool? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw APIError.query(name, "'\(text)' is not a boolean (true or false)")
        }
    }

    static func allowed<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> String where T.RawValue == String {
        T.allCases.map(\.rawValue).joined(separator: ", ")
    }

    static func destinationType(_ text: String) throws -> CatalogSyncDestinationType {
        guard let value = CatalogSyncDestinationType(rawValue: text) else {
            throw APIError.invalid("destination_type", "'\(text)' is not one of \(allowed(CatalogSyncDestinationType.self))")
        }
        return value
    }

    static func updateMode(_ text: String) throws -> CatalogSyncUpdateMode {
        guard let value = CatalogSyncUpdateMode(rawValue: text) else {
            throw APIError.invalid("update_mode", "'\(text)' is not one of \(allowed(CatalogSyncUpdateMode.self))")
        }
        return value
    }

    static func name(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw APIError.invalid("name", "must not be empty") }
        guard name.count <= maxNameLength else { throw APIError.invalid("name", "is \(name.count) characters; at most \(maxNameLength)") }
        // It names the Zero Trust list too: one printable line, like every other name.
        if let problem = TextRules.nameProblem(name, maximumLength: maxNameLength) { throw APIError.invalid("name", problem) }
        return name
    }

    static func description(_ text: String) throws -> String {
        guard text.count <= maxDescriptionLength else {
            throw APIError.invalid("description", "is \(text.count) characters; at most \(maxDescriptionLength)")
        }
        if !text.isEmpty, let problem = TextRules.nameProblem(text, maximumLength: maxDescriptionLength) {
            throw APIError.invalid("description", problem)
        }
        return text
    }

    /// A policy must parse and type-check; empty is allowed (it selects nothing).
    static func policy(_ text: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return "" }
        do {
            _ = try PolicyParser.parse(text)
        } catch {
            throw APIError.policy(error)
        }
        return text
    }

    static func nameConflict(_ name: String) -> APIError {
        APIError(
            status: .conflict, code: ErrorCode.conflict, message: "name: a catalog sync named '\(name)' already exists in this account",
            mcn: MCNErrorDetail(pointer: "/name")
        )
    }
}

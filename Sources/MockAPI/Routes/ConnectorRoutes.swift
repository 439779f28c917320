import ConnectorAPI
import Foundation
import Hummingbird

/// Connectors: `/accounts/:account_id/magic/connectors[/:connector_id]`.
struct ConnectorRoutes {
    let services: Services

    /// Defaults of a new connector's settable fields.
    static let defaults = ConnectorFields(
        activated: false, interruptWindowDaysOfWeek: ConnectorValidation.weekdays, interruptWindowDurationHours: 4,
        interruptWindowEmbargoDates: [], interruptWindowHourOfDay: 0, notes: "", timezone: "UTC"
    )

    func register(on accounts: AccountRouter) {
        accounts.group("magic/connectors")
            .get(use: list)
            .post(use: create)
            .get(":connector_id", use: get)
            .put(":connector_id") { try await update($0, $1, replace: true) }
            .patch(":connector_id") { try await update($0, $1, replace: false) }
            .delete(":connector_id", use: delete)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let deviceType = request.uri.queryParameters.get("device_type")
        if let deviceType, !["MANAGED", "LICENSED"].contains(deviceType) {
            throw APIError.query("device_type", "\(Rules.quoted(deviceType)) is neither MANAGED nor LICENSED")
        }
        let connectors = try await services.store.writer.read { db in try ConnectorStore.list(db: db, account: account) }
        return try JSONResponse.ok(connectors.filter { deviceType == nil || $0.device?.type == deviceType })
    }

    private func get(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = try context.accountAndConnector
        let connector = try await services.store.writer.read { db in try ConnectorStore.require(db: db, account: account, id: id) }
        return try JSONResponse.ok(connector)
    }

    private func create(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let body = try await services.body.decode(ConnectorFields.self, from: request)
        let device = try ConnectorValidation.validateDevice(body.device)
        if body.provisionLicense != nil {
            throw APIError.invalid("provision_license", "on create, provision a license with device.provision_license")
        }
        try ConnectorValidation.validate(body)
        let licenseKey = device.provisionLicense == true ? Self.newLicenseKey() : nil
        var connector = Self.apply(body, to: Self.defaults, id: Identifier.make())
        connector.device = ConnectorDevice(
            id: device.id ?? UUID().uuidString.lowercased(), serialNumber: device.serialNumber,
            type: ConnectorStore.deviceType(licensed: licenseKey != nil)
        )
        connector.primary = true  // no site names it yet
        let stored = connector
        try await services.store.writer.write { db in
            try ConnectorStore.insert(db: db, account: account, connector: stored, licenseKey: licenseKey)
        }
        connector.licenseKey = licenseKey  // shown once, in this response only
        return try JSONResponse.ok(connector)
    }

    private func update(_ request: Request, _ context: MockRequestContext, replace: Bool) async throws -> Response {
        let (account, id) = try context.accountAndConnector
        let body = try await services.body.decode(ConnectorFields.self, from: request)
        if body.device != nil {
            throw APIError.invalid("device", "a connector's device cannot be changed; add a new connector instead")
        }
        try ConnectorValidation.validate(body)
        let licenseKey = body.provisionLicense == true ? Self.newLicenseKey() : nil
        var updated = try await services.store.writer.write { db in
            let existing = try ConnectorStore.require(db: db, account: account, id: id)
            // PUT replaces: omitted fields return to their defaults. PATCH merges into the stored connector.
            let base = replace ? Self.defaults : Self.fields(of: existing)
            var connector = Self.apply(body, to: base, id: id)
            connector.device = existing.device
            if licenseKey != nil { connector.device?.type = ConnectorStore.deviceType(licensed: true) }
            connector.primary = existing.primary
            connector.siteId = existing.siteId
            connector.lastHeartbeat = existing.lastHeartbeat
            connector.lastSeenVersion = existing.lastSeenVersion
            try ConnectorStore.update(db: db, connector: connector, newLicenseKey: licenseKey)
            return connector
        }
        updated.licenseKey = licenseKey
        return try JSONResponse.ok(updated)
    }

    private func delete(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = try context.accountAndConnector
        let deleted = try await services.store.writer.write { db in
            let connector = try ConnectorStore.require(db: db, account: account, id: id)
            try ConnectorStore.delete(db: db, account: account, id: id)
            return connector
        }
        return try JSONResponse.ok(deleted)
    }

    /// `body`'s fields over `base`, as a connector with a fresh `last_updated`.
    static func apply(_ body: ConnectorFields, to base: ConnectorFields, id: String) -> Connector {
        Connector(
            id: id,
            activated: body.activated ?? base.activated ?? false,
            interruptWindowDaysOfWeek: body.interruptWindowDaysOfWeek ?? base.interruptWindowDaysOfWeek ?? [],
            interruptWindowDurationHours: body.interruptWindowDurationHours ?? base.interruptWindowDurationHours ?? 4,
            interruptWindowEmbargoDates: body.interruptWindowEmbargoDates ?? base.interruptWindowEmbargoDates ?? [],
            interruptWindowHourOfDay: body.interruptWindowHourOfDay ?? base.interruptWindowHourOfDay ?? 0,
            lastUpdated: MockStore.timestamp(),
            notes: body.notes ?? base.notes ?? "",
            timezone: body.timezone ?? base.timezone ?? "UTC"
        )
    }

    static func fields(of connector: Connector) -> ConnectorFields {
        ConnectorFields(
            activated: connector.activated, interruptWindowDaysOfWeek: connector.interruptWindowDaysOfWeek,
            interruptWindowDurationHours: connector.interruptWindowDurationHours,
            interruptWindowEmbargoDates: connector.interruptWindowEmbargoDates,
            interruptWindowHourOfDay: connector.interruptWindowHourOfDay, notes: connector.notes, timezone: connector.timezone
        )
    }

    /// A license key in five groups of five, e.g. `CFMW-3F9A1-...`; returned once, stored as SHA-256.
    static func newLicenseKey() -> String {
        let hex = Identifier.hex(bytes: 13).uppercased()
        let characters = Array(hex.prefix(25))
        return "CFMW-" + stride(from: 0, to: 25, by: 5).map { String(characters[$0..<$0 + 5]) }.joined(separator: "-")
    }
}

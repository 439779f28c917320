import ConnectorAPI
import Foundation
import Hummingbird

/// The account's own view of its Magic objects, inside the transaction of a change.
struct AccountScope {
    let db: SQLSession
    let account: String
}

/// How the API names a family: its path segment, the key its results are wrapped in, a noun for messages.
struct MagicFamily: Sendable {
    /// `gre_tunnels`, under `/accounts/:account_id/magic/`.
    let segment: String
    /// `gre_tunnel`: results are `{gre_tunnel}`, `{gre_tunnels}`, `{modified, modified_gre_tunnel}`...
    let key: String
    /// "GRE tunnel".
    let noun: String
    /// The family's page of the API reference, for error items.
    let documentationURL: String

    var plural: String { key + "s" }
}

/// An account-level Magic object (GRE or IPsec tunnel, interconnect, static route): one JSON document per row,
/// the same CRUD flow, results wrapped in the family's key.
protocol MagicObject: Codable, Sendable {
    static var family: MagicFamily { get }
    /// False for interconnects, which Cloudflare provisions: no POST and no DELETE.
    static var clientCreated: Bool { get }

    var id: String? { get set }
    var createdOn: String? { get set }
    var modifiedOn: String? { get set }
    /// The name that must be unique across the account's tunnels; nil for routes.
    var uniqueName: String? { get }
    /// The first field a POST or PUT body must carry and lacks.
    var missingRequiredField: String? { get }
    /// PUT and bulk PUT: fields present in `patch` replace ours (read-only fields stay).
    func merged(with patch: Self) -> Self
    /// Validates against the account's other objects and fills defaults; `existing` is the stored one on update.
    static func prepare(_ value: Self, scope: AccountScope, existing: Self?) throws -> Self
    /// Refuses a delete that would break a reference (a route through the tunnel).
    static func checkDelete(_ value: Self, scope: AccountScope) throws
    /// As responses show it; `objectTargets` is the `x-magic-new-hc-target` header.
    func served(objectTargets: Bool) -> Self
    /// Removes and returns a write-only secret of the body (an IPsec `psk`), which is never stored in the document.
    mutating func takeSecret() -> String?
    /// Stores the secret taken from a body (or, for a new object without one, whatever the family needs).
    static func storeSecret(_ secret: String?, id: String, created: Bool, db: SQLSession) throws
}

extension MagicObject {
    static var clientCreated: Bool { true }
    var uniqueName: String? { nil }
    static func checkDelete(_ value: Self, scope: AccountScope) throws {}
    func served(objectTargets: Bool) -> Self { self }
    mutating func takeSecret() -> String? { nil }
    static func storeSecret(_ secret: String?, id: String, created: Bool, db: SQLSession) throws {}
}

/// list, get, create, PUT, delete and bulk PUT under `/accounts/:account_id/magic/<segment>`, with
/// `?validate_only=true` (every check, nothing kept) on every change.
struct MagicObjectRoutes<Object: MagicObject> {
    let services: Services

    func register(on accounts: AccountRouter) {
        let objects = group(on: accounts)
            .get(use: list)
            .put(use: bulkUpdate)
            .get(":object_id", use: get)
            .put(":object_id", use: update)
        if Object.clientCreated {
            objects.post(use: create).delete(":object_id", use: delete)
        }
    }

    /// The family's routes, at `path` under the account (default `magic/<segment>`); their errors leave as the
    /// family's documented error item. An object's id is the `:object_id` parameter.
    func group(on accounts: AccountRouter, _ path: RouterPath? = nil) -> RouterGroup<MockRequestContext> {
        accounts.mcnGroup(path ?? "magic/\(Object.family.segment)", documentationURL: Object.family.documentationURL)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let items = try await services.store.writer.read { db in try MagicObjectStore.list(Object.self, db: db, account: account) }
        let targets = try Self.objectTargets(request)
        return try JSONResponse.ok(KeyedResult(Object.family.plural, items.map { $0.served(objectTargets: targets) }))
    }

    private func get(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("object_id"))
        let value = try await services.store.writer.read { db in try MagicObjectStore.require(Object.self, db: db, account: account, id: id) }
        return try JSONResponse.ok(KeyedResult(Object.family.key, value.served(objectTargets: try Self.objectTargets(request))))
    }

    /// The created object itself, not wrapped (as documented).
    private func create(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let body = try await services.body.decode(Object.self, from: request)
        if let field = body.missingRequiredField { throw APIError.missing(field) }
        let created = try await change(request, account: account) { scope in try Self.insert(body, scope: scope) }
        return try JSONResponse.ok(created.served(objectTargets: try Self.objectTargets(request)))
    }

    /// Gives a new object its id and timestamps, then validates and stores it.
    static func insert(_ body: Object, scope: AccountScope) throws -> Object {
        var value = body
        value.id = Identifier.make()
        value.createdOn = MockStore.timestamp()
        value.modifiedOn = value.createdOn
        return try store(value, existing: nil, scope: scope)
    }

    /// `{modified: true, modified_<key>: {...}}`. The body carries the fields a create requires; the rest merge.
    private func update(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("object_id"))
        let body = try await services.body.decode(Object.self, from: request)
        if Object.clientCreated, let field = body.missingRequiredField { throw APIError.missing(field) }
        let updated = try await change(request, account: account) { scope in try Self.update(id: id, with: body, scope: scope) }
        let result = KeyedResult(flag: "modified", true, updated.served(objectTargets: try Self.objectTargets(request)), key: "modified_\(Object.family.key)")
        return try JSONResponse.ok(result)
    }

    /// `{"<key>s": [{id, ...changed fields}]}`: all or nothing, each change checked against the ones before it.
    private func bulkUpdate(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        let body = try await services.body.decode(KeyedList<Object>.self, from: request)
        let updated = try await change(request, account: account) { scope in
            try body.items.enumerated().map { index, patch in
                try Self.naming(Object.family.plural, index) {
                    guard let id = patch.id else { throw APIError.missing("id") }
                    return try Self.update(id: id, with: patch, scope: scope)
                }
            }
        }
        let targets = try Self.objectTargets(request)
        let result = KeyedResult(flag: "modified", !updated.isEmpty, updated.map { $0.served(objectTargets: targets) }, key: "modified_\(Object.family.plural)")
        return try JSONResponse.ok(result)
    }

    /// `{deleted: true, deleted_<key>: {...}}`.
    private func delete(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("object_id"))
        let deleted = try await change(request, account: account) { scope in try Self.delete(id: id, scope: scope) }
        let result = KeyedResult(flag: "deleted", true, deleted.served(objectTargets: try Self.objectTargets(request)), key: "deleted_\(Object.family.key)")
        return try JSONResponse.ok(result)
    }

    /// Runs `body` in one transaction; under `?validate_only=true` it is rolled back, so every check runs (later
    /// items of a bulk change see the earlier ones) and nothing is kept.
    func change<T: Sendable>(_ request: Request, account: String, _ body: @escaping @Sendable (AccountScope) throws -> T) async throws -> T {
        let validateOnly = try Self.validateOnly(request)
        return try await services.store.writer.write { db in
            var result: T?
            try db.inSavepoint {
                result = try body(AccountScope(db: db, account: account))
                return validateOnly ? .rollback : .commit
            }
            guard let result else { throw APIError(status: .internalServerError, code: ErrorCode.internalError, message: "no result") }
            return result
        }
    }

    static func update(id: String, with patch: Object, scope: AccountScope) throws -> Object {
        let existing = try MagicObjectStore.require(Object.self, db: scope.db, account: scope.account, id: id)
        var value = existing.merged(with: patch)
        value.id = id
        value.createdOn = existing.createdOn
        value.modifiedOn = MockStore.timestamp()
        return try store(value, existing: existing, scope: scope)
    }

    static func delete(id: String, scope: AccountScope) throws -> Object {
        let existing = try MagicObjectStore.require(Object.self, db: scope.db, account: scope.account, id: id)
        try MagicObjectStore.delete(db: scope.db, id: id)
        try Object.checkDelete(existing, scope: scope)
        return existing
    }

    /// Validates, keeps the secret out of the document, writes both.
    static func store(_ value: Object, existing: Object?, scope: AccountScope) throws -> Object {
        var prepared = try Object.prepare(value, scope: scope, existing: existing)
        let secret = prepared.takeSecret()
        try MagicObjectStore.save(prepared, db: scope.db, account: scope.account)
        try Object.storeSecret(secret, id: prepared.id ?? "", created: existing == nil, db: scope.db)
        return prepared
    }

    /// Runs one item of a bulk body, its field errors naming the item (`routes[2].nexthop: ...`, `/routes/2/nexthop`).
    static func naming<T>(_ key: String, _ index: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as APIError {
            if [ErrorCode.missingField, ErrorCode.wrongType, ErrorCode.invalidValue, ErrorCode.conflict].contains(error.code) {
                error.message = "\(key)[\(index)].\(error.message)"
                // Each problem the site rules found names the item too, in its message and its pointer.
                error.items = error.items.map { item in
                    var item = item
                    item.message = "\(key)[\(index)].\(item.message)"
                    let pointer = item.source?.pointer
                    item.source?.pointer = pointer.map { "/\(key)/\(index)\($0)" }
                    return item
                }
            }
            throw error
        }
    }

    /// `?validate_only=true|false`; absent is false.
    static func validateOnly(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("validate_only")?.lowercased() {
        case nil, "false": return false
        case "true": return true
        case let other?: throw APIError.query("validate_only", "\(Rules.quoted(other)) is neither true nor false")
        }
    }

    /// The `x-magic-new-hc-target` header: true asks for health check targets as `{effective, saved}` objects.
    /// The documented boolean header; any other value is 400, as a bad query parameter is.
    static func objectTargets(_ request: Request) throws -> Bool {
        guard let value = request.header("x-magic-new-hc-target") else { return false }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw APIError(status: .badRequest, code: ErrorCode.invalidQuery, message: "header x-magic-new-hc-target: \(Rules.quoted(value)) is not true or false")
        }
    }
}

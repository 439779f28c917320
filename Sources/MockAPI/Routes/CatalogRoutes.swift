import ConnectorAPI
import Foundation
import Hummingbird

/// Our addition: the operator's view of an account's resource catalog,
/// `/accounts/:account_id/magic/cloud/catalog/resources[/:resource_id]`. GET shows what policies run over
/// (optionally filtered by `?policy=`); PUT replaces, POST adds or replaces by id, DELETE removes a
/// discovered resource. Every change reruns the account's AUTO syncs in the same transaction.
struct CatalogRoutes {
    let services: Services

    func register(on accounts: AccountRouter) {
        accounts.mcnGroup("magic/cloud/catalog/resources")
            .get(use: list)
            .put { try await change($0, $1, replace: true) }
            .post { try await change($0, $1, replace: false) }
            .delete(":resource_id", use: delete)
    }

    private func list(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let account = try context.account
        var filter: PolicyExpr?
        if let text = request.uri.queryParameters.get("policy") {
            do {
                filter = try PolicyParser.parse(text)
            } catch {
                var failure = APIError.policy(error)
                failure.mcn = MCNErrorDetail(parameter: "policy", templateData: ["position": String(error.position)])
                throw failure
            }
        }
        let file = services.catalog.file
        let resources = try await services.store.writer.read { db in try CatalogStore.resources(db: db, account: account, file: file) }
        return try JSONResponse.ok(filter.map { PolicyEvaluator.select($0, from: resources) } ?? resources)
    }

    private func change(_ request: Request, _ context: MockRequestContext, replace: Bool) async throws -> Response {
        let account = try context.account
        let incoming = try await decodeResources(request)
        let catalog = services.catalog
        let resources = try await services.store.writer.write { db in
            var discovered = replace ? [] : try CatalogStore.discovered(db: db, account: account, file: catalog.file)
            let checked = try CatalogValidation.validate(incoming, field: "", now: MockStore.timestamp())
            for resource in checked {
                if let index = discovered.firstIndex(where: { $0.id == resource.id }) {
                    discovered[index] = resource
                } else {
                    discovered.append(resource)
                }
            }
            try CatalogStore.replace(db: db, account: account, with: discovered)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            return try CatalogStore.resources(db: db, account: account, file: catalog.file)
        }
        return try JSONResponse.ok(resources)
    }

    private func delete(_ request: Request, _ context: MockRequestContext) async throws -> Response {
        let (account, id) = (try context.account, try context.path("resource_id"))
        let catalog = services.catalog
        try await services.store.writer.write { db in
            var discovered = try CatalogStore.discovered(db: db, account: account, file: catalog.file)
            guard let index = discovered.firstIndex(where: { $0.id == id }) else {
                if CatalogValidation.derivedKinds.contains(where: { id.hasPrefix("\($0):") }) {
                    throw APIError.conflict("'\(id)' is derived from the account's sites and LANs; delete the site or LAN instead")
                }
                throw APIError.notFound("catalog resource", id)
            }
            discovered.remove(at: index)
            try CatalogStore.replace(db: db, account: account, with: discovered)
            try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
        }
        return try JSONResponse.ok(["id": id])
    }

    /// One resource object, or an array of them.
    private func decodeResources(_ request: Request) async throws -> [CatalogResource] {
        let data = Data(buffer: try await services.body.bytes(request))
        let first = data.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "[") {
            return try RequestBodyReader.decode([CatalogResource].self, from: data)
        }
        return [try RequestBodyReader.decode(CatalogResource.self, from: data)]
    }
}

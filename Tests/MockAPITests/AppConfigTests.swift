import ConnectorAPI
import Foundation
import Hummingbird
import Testing

@Suite("App configs")
struct AppConfigTests {
    private func expectRejected(_ body: AppConfig, field: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        try await withRouter { api in
            let site = try await api.createSite()
            _ = try await api.createWAN(site: site)
            expectFailure(
                try await api.send(.post, "\(Paths.site(site))/app_configs", body: body), status: .unprocessableContent,
                code: Code.invalidValue, mentions: field, sourceLocation: sourceLocation
            )
            #expect(
                try await api.get([AppConfig].self, "\(Paths.site(site))/app_configs").result == [],
                sourceLocation: sourceLocation)
        }
    }

    @Test func crudRoundTrip() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let wan = try await api.createWAN(site: site)
            let app = try await api.createApp()
            let body = AppConfig(accountAppId: app, breakout: true, preferredWans: [wan], priority: 1)
            let created = try await api.send(.post, "\(Paths.site(site))/app_configs", body: body)
            #expect(created.status == .ok)
            let config = try #require(try api.decode(AppConfig.self, created).result)
            let id = try #require(config.id)
            #expect(config.siteId == site)
            #expect(
                try await api.get(AppConfig.self, "\(Paths.site(site))/app_configs/\(id)").result?.accountAppId == app)
            #expect(try await api.get([AppConfig].self, "\(Paths.site(site))/app_configs").result?.count == 1)
            let patched = try await api.send(
                .patch, "\(Paths.site(site))/app_configs/\(id)", body: AppConfig(priority: 0))
            #expect(try api.decode(AppConfig.self, patched).result?.priority == 0)
            let put = try await api.send(
                .put, "\(Paths.site(site))/app_configs/\(id)", body: AppConfig(managedAppId: "zoom"))
            #expect(try api.decode(AppConfig.self, put).result?.managedAppId == "zoom")
            #expect(try !api.resultKeys(put).contains("account_app_id"))
            #expect(try await api.send(.delete, "\(Paths.site(site))/app_configs/\(id)").status == .ok)
            #expect(try await api.get([AppConfig].self, "\(Paths.site(site))/app_configs").result == [])
        }
    }

    @Test func needsExactlyOneAppReference() async throws {
        try await expectRejected(AppConfig(accountAppId: "a", managedAppId: "b"), field: "managed_app_id")
    }

    @Test func needsAnAppReference() async throws {
        try await expectRejected(AppConfig(breakout: true), field: "account_app_id")
    }

    @Test func accountAppMustExist() async throws {
        try await expectRejected(AppConfig(accountAppId: "nosuchapp", breakout: true), field: "account_app_id")
    }

    @Test func priorityIs0Or1() async throws {
        try await expectRejected(AppConfig(managedAppId: "zoom", priority: 2), field: "priority")
    }

    @Test func preferredWANsOnlyForBreakout() async throws {
        try await expectRejected(AppConfig(managedAppId: "zoom", preferredWans: ["x"]), field: "preferred_wans")
    }

    @Test func preferredWANsMustBeWANsOfTheSite() async throws {
        try await expectRejected(
            AppConfig(managedAppId: "zoom", breakout: true, preferredWans: ["nope"]), field: "preferred_wans[0]")
    }
}

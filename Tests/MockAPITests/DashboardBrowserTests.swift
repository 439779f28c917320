import Foundation
import TestSupport
import Testing

/// The dashboard in a real browser: headless Chromium (Debian `chromium`) opens each page of a seeded mock-api
/// after `/?token=` sign-in, runs its scripts, and the DOM it dumps must hold the fleet's connectors, the series
/// points and the events. Screenshots go to $VCONNECTOR_DASHBOARD_SCREENSHOTS (docs/ holds the committed ones).
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: Chromium.path != nil, "chromium is not installed (scripts/install-deps installs Debian's chromium)"))
struct DashboardBrowserTests {
    @Test("fleet, connector and site pages render this account's data and nothing of another's")
    func pages() async throws {
        try await withServer { server in
            let seed = try await DashboardSeed.seed(server)
            let base = "http://127.0.0.1:\(server.port)/?token=\(TestServer.readToken)"

            let fleet = try await Chromium.dumpDOM(base + "#/", screenshot: "dashboard-fleet.png")
            #expect(fleet.contains(#"data-ready="fleet""#), "the fleet script did not finish: \(fleet.prefix(2000))")
            for id in [seed.primary, seed.secondary, seed.idle] { #expect(fleet.contains(#"data-connector="\#(id)""#), "\(id)") }
            #expect(!fleet.contains(seed.otherAccountConnector), "another account's connector on the page")
            #expect(fleet.contains("branch-amsterdam"))
            #expect(fleet.contains("primary (active)"))
            #expect(!fleet.contains(TestServer.readToken), "the token is on the page")

            let connector = try await Chromium.dumpDOM(base + "#/connector/\(seed.primary)", screenshot: "dashboard-connector.png")
            #expect(connector.contains(#"data-ready="connector""#), "the connector script did not finish: \(connector.prefix(2000))")
            // 40 snapshots: 39 rates (CPU), 40 gauge points (memory, three series).
            #expect(connector.contains(#"id="chart-cpu" data-points="39""#))
            #expect(connector.contains(#"id="chart-memory" data-points="120""#))
            #expect(connector.contains(#"id="chart-throughput-rx""#))
            #expect(connector.contains(#"<canvas role="img" aria-label="CPU utilisation" width="#), "the chart's canvas")
            #expect(connector.contains("height: 200px"), "Chart.js sized the canvas to its box: it ran")
            #expect(connector.components(separatedBy: #"data-kind="Reconcile""#).count - 1 == 2)
            #expect(connector.components(separatedBy: #"data-kind="Init""#).count - 1 == 1)
            #expect(connector.contains(">cpu_count<"), "the latest snapshot table")

            let site = try await Chromium.dumpDOM(base + "#/site/\(seed.site)", screenshot: "dashboard-site.png")
            #expect(site.contains(#"data-ready="site""#), "the site script did not finish: \(site.prefix(2000))")
            for text in ["WAN isp-a", "WAN isp-b", "LAN office", "LAN lab", "ACL office-to-lab-ssh", "HA pair", "tun-edge-1: healthy"] {
                #expect(site.contains(text), "\(text)")
            }
            #expect(site.contains(#"id="topology""#))
            #expect(site.contains("&lt;img src=x onerror="), "the hostile description is shown as text")
            #expect(!site.contains("<img src") && !site.contains("data-pwned"), "markup from the API ran or rendered")
            #expect(site.contains(#"id="chart-delta-epsilon" data-points="80""#))
            for page in [fleet, connector, site] {
                #expect(page.contains(#"data-viewport="wide""#) && page.contains(#"data-fits="true""#), "1280x800: \(page.prefix(300))")
            }

            // A phone's width (390x844): the narrow layout, and nothing wider than the screen.
            for (hash, name) in [("#/", "fleet"), ("#/connector/\(seed.primary)", "connector"), ("#/site/\(seed.site)", "site")] {
                let narrow = try await Chromium.dumpDOM(base + hash, screenshot: "dashboard-\(name)-phone.png", size: "390,844")
                #expect(narrow.contains(#"data-ready="\#(name)""#), "\(name) at 390 px did not finish")
                #expect(narrow.contains(#"data-viewport="narrow""#), "\(name) at 390 px")
                #expect(narrow.contains(#"data-fits="true""#), "\(name) at 390 px scrolls sideways")
            }
        }
    }
}

/// Debian's headless Chromium (`--no-sandbox`: tests run as root, where its sandbox refuses to start).
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The DOM after the page's scripts ran (virtual time lets fetches and rendering finish) in a window of `size`
    /// (1280x800 by default), and a screenshot named `screenshot` in $VCONNECTOR_DASHBOARD_SCREENSHOTS when that is set.
    static func dumpDOM(_ url: String, screenshot: String? = nil, size: String = "1280,800") async throws -> String {
        let chromium = try #require(path)
        let profile = TestScratch.path("chromium-profile")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                      "--user-data-dir=\(profile)", "--window-size=\(size)", "--virtual-time-budget=8000", "--hide-scrollbars"]
        if let directory = ProcessInfo.processInfo.environment["VCONNECTOR_DASHBOARD_SCREENSHOTS"], let screenshot {
            _ = try await runProcess(common + ["--screenshot=\(directory)/\(screenshot)", url])
        }
        let (status, output) = try await runProcess(common + ["--dump-dom", url])
        try #require(status == 0, "chromium exited \(status): \(output.suffix(2000))")
        return output
    }
}

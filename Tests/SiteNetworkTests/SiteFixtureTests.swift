import ConnectorAPI
import Foundation
import SiteSamples
import Testing

@testable import SiteNetwork

// The site configs under fixtures/sites, read through the file loader as `vconnector site validate` reads them.
// good/*.json validate clean; bad/*.json fail with exactly the lines of their sibling *.expected.txt
// (validator problems, or the loader's error for a file that does not decode).

@Suite struct SiteFixtureTests {
    @Test func fixturesArePresent() {
        #expect(SiteSamples.fixtures("good").count >= 3)
        #expect(SiteSamples.fixtures("bad").count >= 5)
    }

    @Test(arguments: SiteSamples.fixtures("good")) func goodSiteValidatesClean(_ name: String) throws {
        let config = try SiteConfigFile.load(path: SiteSamples.path("good", name))
        let problems = SiteValidator.validate(config)
        #expect(problems.isEmpty, "\(name): \(problems.map(\.description))")
    }

    @Test func demoSiteValidatesClean() throws {
        let path = SiteSamples.packageRoot.appendingPathComponent("fixtures/demo/site.json").path
        let config = try SiteConfigFile.load(path: path)
        #expect(config.lans.count == 2)
        #expect(SiteValidator.validate(config).isEmpty)
    }

    @Test func benchmarkSiteHasFourWANsAndEightLANs() throws {
        let config = try SiteConfigFile.load(path: SiteSamples.path("good", "bench-4wan-8lan.json"))
        #expect(config.wans.count == 4)
        #expect(config.wans.filter { $0.staticAddressing == nil }.count == 1)
        #expect(config.lans.count == 8)
    }

    @Test func endToEndSiteHasTheAgreedShape() throws {
        let config = try SiteConfigFile.load(path: SiteSamples.path("good", "branch-2wan-2lan.json"))
        #expect(config.wans.map { $0.staticAddressing == nil } == [false, true])
        #expect(config.lans[0].staticAddressing?.dhcpServer?.reservations?.isEmpty == false)
        #expect(config.lans[1].staticAddressing?.dhcpRelay?.serverAddresses?.isEmpty == false)
    }

    @Test(arguments: SiteSamples.fixtures("bad")) func badSiteFailsAsExpected(_ name: String) throws {
        let path = SiteSamples.path("bad", name)
        let expectedPath = path.replacingOccurrences(of: ".json", with: ".expected.txt")
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let actual: [String]
        do {
            actual = SiteValidator.validate(try SiteConfigFile.load(path: path)).map(\.description)
        } catch {
            #expect(error.path != nil, "\(name): a shape error names its JSON path")
            actual = ["\(error.path ?? "-"): \(error.message)"]
        }
        #expect(!expected.isEmpty, "\(name): the expected file lists the problems")
        #expect(actual == expected, "\(name):\n\(actual.joined(separator: "\n"))")
    }
}

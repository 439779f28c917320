import ConnectorAPI
import Foundation
import Testing
@testable import MockAPI

/// The policy language on its own: parse errors with positions, type errors, and evaluation over
/// fixtures/catalog/example.json.
@Suite("Catalog sync policies")
struct CatalogPolicyTests {
    static let catalog: [CatalogResource] = (try? ResourceCatalog.load(path: exampleCatalogPath).file.resources) ?? []

    private func selected(_ policy: String) throws -> [String] {
        PolicyEvaluator.select(try PolicyParser.parse(policy), from: Self.catalog).map(\.id)
    }

    private func error(_ policy: String) -> PolicyError? {
        do {
            _ = try PolicyParser.parse(policy)
            return nil
        } catch {
            return error
        }
    }

    @Test func fixtureCatalogLoads() throws {
        let file = try ResourceCatalog.load(path: exampleCatalogPath)
        #expect(file.resourceCount == 19)
        let kinds = Set(file.file.resources.map(\.kind))
        #expect(kinds.isSuperset(of: ["aws_vpc", "aws_subnet", "aws_instance", "azurerm_virtual_network", "azurerm_subnet",
                                      "azurerm_virtual_machine", "google_compute_network", "google_compute_subnetwork", "google_compute_instance"]))
    }

    @Test(arguments: [
        ("kind in ('aws_vpc','azurerm_virtual_network')", ["aws-vpc-prod", "aws-vpc-staging", "aws-vpc-shared", "az-vnet-hub", "az-vnet-dev"]),
        ("tags.env == 'production' && kind == 'aws_instance'", ["aws-i-prod-api-1", "aws-i-prod-db-1"]),
        ("tags['Cost Center'] == \"CC-1001\"", ["az-vnet-hub"]),
        ("startsWith(name, 'prod-') && cloud_type == 'AWS'", ["aws-vpc-prod", "aws-subnet-prod-app-a", "aws-subnet-prod-db-a", "aws-i-prod-api-1", "aws-i-prod-db-1"]),
        ("name.startsWith('prod-net-')", ["gcp-subnet-prod-ew3", "gcp-subnet-prod-uc1"]),
        ("endsWith(name, '-01') || contains(name, 'analytics')", ["az-vm-web-01", "az-vm-dev-01", "gcp-vm-analytics-1"]),
        ("inCidr(ips, '172.16.0.0/12')", ["az-vm-web-01", "az-vm-dev-01"]),
        ("inCidr(cidrs, '2600:1f18::/32')", ["aws-vpc-staging", "aws-subnet-staging-app"]),
        ("'10.10.1.15' in ips", ["aws-i-prod-api-1"]),
        ("'owner' in tags && region != 'eu-central-1'", ["az-vm-web-01", "gcp-vm-analytics-1"]),
        ("!has(tags)", ["az-subnet-gateway"]),
        ("kind in ('aws_instance', 'azurerm_virtual_machine', 'google_compute_instance') && !has(tags.owner)", ["aws-i-staging-api-1", "az-vm-dev-01"]),
        ("tags.env != 'production' && kind == 'aws_vpc'", ["aws-vpc-staging", "aws-vpc-shared"]),
        ("parent_id == 'aws-vpc-prod' || (kind == 'google_compute_network')", ["aws-subnet-prod-app-a", "aws-subnet-prod-db-a", "gcp-net-prod"]),
        ("upper(cloud_type) == 'GOOGLE' && lower(tags.role) == 'analytics'", ["gcp-vm-analytics-1"]),
        ("region == null", []),
        ("!(true && false) && id == 'aws-vpc-shared'", ["aws-vpc-shared"]),
    ] as [(String, [String])])
    func evaluatesOnTheFixtureCatalog(policy: String, expected: [String]) throws {
        #expect(try selected(policy) == expected, "\(policy)")
    }

    @Test func absentTagsAreNull() throws {
        #expect(try selected("tags.nonexistent == null").count == Self.catalog.count)
        #expect(try selected("tags.nonexistent == 'x'").isEmpty)
        #expect(try selected("startsWith(tags.nonexistent, '')").isEmpty, "a null has no prefix, not even the empty one")
    }

    @Test(arguments: [
        ("kind == 'aws_vpc' &&", 21, "expected a value"),
        ("knd == 'aws_vpc'", 1, "unknown attribute 'knd' (did you mean 'kind'?)"),
        ("kind = 'x'", 6, "did you mean '=='?"),
        ("kind in ('a', 'b'", 18, "expected ',' or ')'"),
        ("kind == 'a' kind == 'b'", 13, "found 'kind'"),
        ("name == 'unterminated", 9, "unterminated string"),
        ("startsWith(name)", 1, "startsWith takes 2 arguments"),
        ("cidrs == '10.0.0.0/8'", 1, "compares single values"),
        ("kind", 1, "must be a condition"),
        ("frobnicate(name, 'x')", 1, "unknown function 'frobnicate'"),
        ("inCidr(ips, '10.0.0.0/33')", 13, "not an IPv4 or IPv6 CIDR"),
        ("name == 10", 9, "numbers are not values"),
        ("!kind", 2, "'!' needs a condition"),
        ("kind == true", 6, "compares a string with a boolean"),
        ("kind in region", 9, "'in' needs a list"),
        ("tags.env.startsWith('p') && region.zone == 'a'", 35, "is not a field here"),
        ("kind & 'x'", 6, "did you mean '&&'?"),
        ("name == 'a' || cidrs", 16, "'||' needs conditions on both sides"),
        ("", 1, "empty"),
        ("kind in ()", 10, "the list after 'in' is empty"),
        ("kind == 'a' $", 13, "unexpected character '$'"),
    ] as [(String, Int, String)])
    func parseErrorsNameTheirPosition(policy: String, position: Int, mentions: String) {
        let failure = error(policy)
        #expect(failure?.position == position, "\(policy): \(String(describing: failure))")
        #expect(failure?.message.contains(mentions) == true, "\(policy): \(String(describing: failure))")
    }

    @Test func hostileNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 1_000) + "true" + String(repeating: ")", count: 1_000)
        #expect(error(deep)?.message.contains("nests deeper") == true)
        let negations = String(repeating: "!", count: 4_000) + "true"
        #expect(error(negations)?.message.contains("nests deeper") == true)
        #expect(error(String(repeating: "a", count: PolicyParser.maxLength + 1))?.message.contains("longer than") == true)
    }

    @Test func everyPrebuiltPolicyParsesAndSelectsSomething() throws {
        #expect(PrebuiltPolicies.all.count >= 8)
        #expect(Set(PrebuiltPolicies.all.map(\.policyName)).count == PrebuiltPolicies.all.count, "names are unique")
        for policy in PrebuiltPolicies.all {
            let matches = try selected(policy.policyString)
            // Magic LANs come from the account's sites, which the file does not have (see CatalogSyncTests).
            if !policy.policyString.contains("magic_lan") {
                #expect(!matches.isEmpty, "\(policy.policyName) selects nothing in the example catalog")
            }
            #expect(!policy.applicableDestinations.isEmpty)
        }
    }

    @Test func prefixesContainAddressesAndSubnets() throws {
        let network = try #require(IPPrefix("10.0.0.0/8"))
        #expect(network.contains(try #require(IPPrefix("10.10.1.15"))))
        #expect(network.contains(try #require(IPPrefix("10.10.0.0/16"))))
        #expect(!network.contains(try #require(IPPrefix("11.0.0.1"))))
        #expect(!network.contains(try #require(IPPrefix("0.0.0.0/0"))), "a wider prefix is not inside a narrower one")
        #expect(!network.contains(try #require(IPPrefix("::ffff:10.0.0.1"))), "families never mix")
        #expect(IPPrefix("10.0.0.256") == nil && IPPrefix("10.0.0.0/") == nil && IPPrefix("2001:db8::/129") == nil)
    }
}

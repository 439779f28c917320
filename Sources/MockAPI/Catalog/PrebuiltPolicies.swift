import ConnectorAPI

/// The policies `GET .../catalog-syncs/prebuilt-policies` offers. Each one parses (CatalogPolicyTests checks
/// them) and selects something in fixtures/catalog/example.json. Audit policies only make sense without a
/// destination: a Zero Trust list of "everything lacking an owner" is not something to route or block by.
enum PrebuiltPolicies {
    private static let networks = "kind in ('aws_vpc', 'azurerm_virtual_network', 'google_compute_subnetwork')"
    private static let subnets = "kind in ('aws_subnet', 'azurerm_subnet', 'google_compute_subnetwork')"
    private static let instances = "kind in ('aws_instance', 'azurerm_virtual_machine', 'google_compute_instance')"
    private static let both: [CatalogSyncDestinationType] = [.none, .zeroTrustList]

    static let all: [PrebuiltPolicy] = [
        PrebuiltPolicy(
            policyName: "All cloud networks",
            policyDescription: "The address space of every AWS VPC and Azure VNet, and of every Google Cloud subnetwork (Google networks have no prefixes of their own).",
            policyString: networks, applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "All cloud subnets",
            policyDescription: "Every AWS, Azure and Google Cloud subnet prefix.",
            policyString: subnets, applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "All cloud instances",
            policyDescription: "The private and public addresses of every AWS instance, Azure virtual machine and Google Compute instance.",
            policyString: instances, applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "Production networks",
            policyDescription: "Cloud networks tagged env=prod or env=production (any case).",
            policyString: "\(networks) && lower(tags.env) in ('prod', 'production')", applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "Non-production networks",
            policyDescription: "Cloud networks whose env tag is anything but prod/production, or missing.",
            policyString: "\(networks) && !(lower(tags.env) in ('prod', 'production'))", applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "Private cloud networks (RFC 1918)",
            policyDescription: "Cloud networks with a prefix inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
            policyString: "\(networks) && (inCidr(cidrs, '10.0.0.0/8') || inCidr(cidrs, '172.16.0.0/12') || inCidr(cidrs, '192.168.0.0/16'))",
            applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "Magic WAN site LANs",
            policyDescription: "The prefixes of the account's own Magic WAN LANs (and their routed subnets).",
            policyString: "kind == 'magic_lan'", applicableDestinations: both
        ),
        PrebuiltPolicy(
            policyName: "Instances without an owner (audit)",
            policyDescription: "Cloud instances that lack an owner tag.",
            policyString: "\(instances) && !has(tags.owner)", applicableDestinations: [.none]
        ),
        PrebuiltPolicy(
            policyName: "Untagged resources (audit)",
            policyDescription: "Cloud resources without any tag.",
            policyString: "kind != 'magic_site' && kind != 'magic_lan' && !has(tags)", applicableDestinations: [.none]
        ),
    ]
}

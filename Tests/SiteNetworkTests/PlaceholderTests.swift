import Testing
@testable import SiteNetwork

@Test func siteNetworkModuleBuilds() {}

import Netlink

/// Runs a netlink change for which "already exists" means another run (or a crash half-way) already did it:
/// converged, not failed.
func ignoringExists(_ body: () throws -> Void) throws {
    do { try body() } catch let error as NetlinkError where error.isAlreadyExists {}
}

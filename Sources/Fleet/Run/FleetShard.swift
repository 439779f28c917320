/// One fleet process's share of a fleet split over several processes or machines (`fleet --shard K/N`): the
/// connectors whose index is K-1 modulo N. A connector's records depend only on its index and the plan, so N
/// processes given the same plan and shards 1/N ... N/N record together exactly what one process records.
public struct FleetShard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based: K of K/N.
    public let number: Int
    public let count: Int

    /// The whole fleet in one process.
    public static let whole = FleetShard(validNumber: 1, count: 1)

    private init(validNumber number: Int, count: Int) {
        self.number = number
        self.count = count
    }

    /// `K/N` with 1 <= K <= N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let number = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(number)
        else { return nil }
        self.init(validNumber: number, count: count)
    }

    /// The indices of this shard's connectors in a fleet of `connectors`, ascending.
    public func members(of connectors: Int) -> [Int] {
        Array(stride(from: number - 1, to: max(0, connectors), by: count))
    }

    public var description: String { "\(number)/\(count)" }
}

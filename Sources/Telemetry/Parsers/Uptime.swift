/// /proc/uptime: "350735.47 234388.90" (seconds up, and idle seconds summed over all CPUs).
public struct Uptime: Equatable, Sendable {
    public var totalSeconds: Double
    public var idleSeconds: Double

    public static func parse(_ text: String) throws -> Uptime { try text.withTextBytes(parse(bytes:)) }

    public static func parse(bytes: TextBytes) throws -> Uptime {
        var fields = FieldReader(bytes[...])
        let total = try fields.field("uptime seconds")
        let idle = try fields.field("idle seconds")
        guard let totalSeconds = Numbers.decimal(total), let idleSeconds = Numbers.decimal(idle) else {
            throw ParseError("'\(total.string) \(idle.string)' are not two second counts")
        }
        return Uptime(totalSeconds: totalSeconds, idleSeconds: idleSeconds)
    }
}

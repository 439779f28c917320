import ConnectorAPI

/// /proc/net/snmp's counters for a router: forwarded packets pass through IP without reaching TCP or UDP, local
/// ones are delivered and split between TCP, UDP and ICMP (the tunnels' health pings), and failures are rare draws.
/// ICMP's InMsgs and OutMsgs are the sums of the message types counted.
struct SNMPCounters: Sendable {
    var inReceives: Int64 = 0, inDelivers: Int64 = 0, forwarded: Int64 = 0, outRequests: Int64 = 0
    var inDiscards: Int64 = 0, inHeaderErrors: Int64 = 0, outNoRoutes: Int64 = 0
    var tcpActiveOpens: Int64 = 0, tcpPassiveOpens: Int64 = 0, tcpAttemptFails: Int64 = 0, tcpEstabResets: Int64 = 0
    var tcpInSegs: Int64 = 0, tcpOutSegs: Int64 = 0, tcpRetransSegs: Int64 = 0, tcpOutRsts: Int64 = 0,
        tcpCurrEstab: Int64 = 0
    var udpIn: Int64 = 0, udpOut: Int64 = 0, udpNoPorts: Int64 = 0
    var icmpInEchoReps: Int64 = 0, icmpOutEchos: Int64 = 0, icmpInDestUnreachs: Int64 = 0,
        icmpOutDestUnreachs: Int64 = 0

    mutating func step(
        forwarded packets: UInt64, local: UInt64, sentLocal: UInt64, seconds: Double, busy: Double,
        random: inout SeededGenerator
    ) {
        let delivered = Int64(local) + Int64(random.poisson(Double(packets) * 0.01))
        inReceives += Int64(packets) + delivered
        forwarded += Int64(packets) - Int64(random.poisson(Double(packets) * 1e-6))
        inDelivers += delivered
        outRequests += Int64(sentLocal) + delivered / 2
        inDiscards += Int64(random.poisson(Double(packets) * 1e-7))
        inHeaderErrors += Int64(random.poisson(Double(packets) * 1e-8))
        outNoRoutes += Int64(random.poisson(seconds / 3600))
        let tcp = delivered * 6 / 10
        tcpInSegs += tcp
        tcpOutSegs += tcp * 9 / 10
        tcpRetransSegs += Int64(random.poisson(Double(tcp) * 0.004))
        tcpActiveOpens += Int64(random.poisson(seconds * (0.2 + busy)))
        tcpPassiveOpens += Int64(random.poisson(seconds * 0.05))
        tcpAttemptFails += Int64(random.poisson(seconds * 0.005))
        tcpEstabResets += Int64(random.poisson(seconds * 0.01))
        tcpOutRsts += Int64(random.poisson(seconds * 0.02))
        tcpCurrEstab = Int64(8 + random.poisson(12 + 40 * busy))
        udpIn += delivered * 3 / 10
        udpOut += delivered * 3 / 10
        udpNoPorts += Int64(random.poisson(seconds * 0.01))
        // Two tunnels' health probes: one echo each per second.
        let echos = Int64(2 * seconds)
        icmpOutEchos += echos
        icmpInEchoReps += echos - Int64(random.poisson(Double(echos) * 0.001))
        icmpInDestUnreachs += Int64(random.poisson(seconds * 0.002))
        icmpOutDestUnreachs += Int64(random.poisson(seconds * 0.001))
    }

    func fill(_ s: inout Snapshot) {
        s.snmpIpInReceives.replace(with: inReceives)
        s.snmpIpInDelivers.replace(with: inDelivers)
        s.snmpIpForwDatagrams.replace(with: forwarded)
        // A connector routes between its LANs and the WAN.
        s.snmpIpForwardingEnabled.replace(with: true)
        s.snmpIpOutRequests.replace(with: outRequests)
        s.snmpIpInDiscards.replace(with: inDiscards)
        s.snmpIpInHdrErrors.replace(with: inHeaderErrors)
        s.snmpIpOutNoRoutes.replace(with: outNoRoutes)
        s.snmpTcpActiveOpens.replace(with: tcpActiveOpens)
        s.snmpTcpPassiveOpens.replace(with: tcpPassiveOpens)
        s.snmpTcpAttemptFails.replace(with: tcpAttemptFails)
        s.snmpTcpEstabResets.replace(with: tcpEstabResets)
        s.snmpTcpCurrEstab.replace(with: tcpCurrEstab)
        s.snmpTcpInSegs.replace(with: tcpInSegs)
        s.snmpTcpOutSegs.replace(with: tcpOutSegs)
        s.snmpTcpRetransSegs.replace(with: tcpRetransSegs)
        s.snmpTcpOutRsts.replace(with: tcpOutRsts)
        s.snmpUdpInDatagrams.replace(with: udpIn)
        s.snmpUdpOutDatagrams.replace(with: udpOut)
        s.snmpUdpNoPorts.replace(with: udpNoPorts)
        s.snmpIcmpInEchoReps.replace(with: icmpInEchoReps)
        s.snmpIcmpOutEchos.replace(with: icmpOutEchos)
        s.snmpIcmpInDestUnreachs.replace(with: icmpInDestUnreachs)
        s.snmpIcmpOutDestUnreachs.replace(with: icmpOutDestUnreachs)
        s.snmpIcmpInMsgs.replace(with: icmpInEchoReps + icmpInDestUnreachs)
        s.snmpIcmpOutMsgs.replace(with: icmpOutEchos + icmpOutDestUnreachs)
    }
}

import ConnectorAPI

extension Snapshot {
    /// /proc/net/snmp columns (by protocol and name) and the snapshot fields they fill.
    nonisolated(unsafe) static let snmpFields: [(proto: String, column: String, field: WritableKeyPath<Snapshot, Int64?>)] = [
        ("Ip", "DefaultTTL", \.snmpIpDefaultTtl), ("Ip", "InReceives", \.snmpIpInReceives),
        ("Ip", "InHdrErrors", \.snmpIpInHdrErrors), ("Ip", "InAddrErrors", \.snmpIpInAddrErrors),
        ("Ip", "ForwDatagrams", \.snmpIpForwDatagrams), ("Ip", "InUnknownProtos", \.snmpIpInUnknownProtos),
        ("Ip", "InDiscards", \.snmpIpInDiscards), ("Ip", "InDelivers", \.snmpIpInDelivers),
        ("Ip", "OutRequests", \.snmpIpOutRequests), ("Ip", "OutDiscards", \.snmpIpOutDiscards),
        ("Ip", "OutNoRoutes", \.snmpIpOutNoRoutes), ("Ip", "ReasmTimeout", \.snmpIpReasmTimeout),
        ("Ip", "ReasmReqds", \.snmpIpReasmReqds), ("Ip", "ReasmOKs", \.snmpIpReasmOks),
        ("Ip", "ReasmFails", \.snmpIpReasmFails), ("Ip", "FragOKs", \.snmpIpFragOks),
        ("Ip", "FragFails", \.snmpIpFragFails), ("Ip", "FragCreates", \.snmpIpFragCreates),
        ("Icmp", "InMsgs", \.snmpIcmpInMsgs), ("Icmp", "InErrors", \.snmpIcmpInErrors),
        ("Icmp", "InCsumErrors", \.snmpIcmpInCsumErrors), ("Icmp", "InDestUnreachs", \.snmpIcmpInDestUnreachs),
        ("Icmp", "InTimeExcds", \.snmpIcmpInTimeExcds), ("Icmp", "InParmProbs", \.snmpIcmpInParmProbs),
        ("Icmp", "InSrcQuenchs", \.snmpIcmpInSrcQuenchs), ("Icmp", "InRedirects", \.snmpIcmpInRedirects),
        ("Icmp", "InEchos", \.snmpIcmpInEchos), ("Icmp", "InEchoReps", \.snmpIcmpInEchoReps),
        ("Icmp", "InTimestamps", \.snmpIcmpInTimestamps), ("Icmp", "InTimestampReps", \.snmpIcmpInTimestampReps),
        ("Icmp", "InAddrMasks", \.snmpIcmpInAddrMasks), ("Icmp", "InAddrMaskReps", \.snmpIcmpInAddrMaskReps),
        ("Icmp", "OutMsgs", \.snmpIcmpOutMsgs), ("Icmp", "OutErrors", \.snmpIcmpOutErrors),
        ("Icmp", "OutDestUnreachs", \.snmpIcmpOutDestUnreachs), ("Icmp", "OutTimeExcds", \.snmpIcmpOutTimeExcds),
        ("Icmp", "OutParmProbs", \.snmpIcmpOutParmProbs), ("Icmp", "OutSrcQuenchs", \.snmpIcmpOutSrcQuenchs),
        ("Icmp", "OutRedirects", \.snmpIcmpOutRedirects), ("Icmp", "OutEchos", \.snmpIcmpOutEchos),
        ("Icmp", "OutEchoReps", \.snmpIcmpOutEchoReps), ("Icmp", "OutTimestamps", \.snmpIcmpOutTimestamps),
        ("Icmp", "OutTimestampReps", \.snmpIcmpOutTimestampReps), ("Icmp", "OutAddrMasks", \.snmpIcmpOutAddrMasks),
        ("Icmp", "OutAddrMaskReps", \.snmpIcmpOutAddrMaskReps),
        ("Tcp", "RtoMin", \.snmpTcpRtoMin), ("Tcp", "RtoMax", \.snmpTcpRtoMax), ("Tcp", "MaxConn", \.snmpTcpMaxConn),
        ("Tcp", "ActiveOpens", \.snmpTcpActiveOpens), ("Tcp", "PassiveOpens", \.snmpTcpPassiveOpens),
        ("Tcp", "AttemptFails", \.snmpTcpAttemptFails), ("Tcp", "EstabResets", \.snmpTcpEstabResets),
        ("Tcp", "CurrEstab", \.snmpTcpCurrEstab), ("Tcp", "InSegs", \.snmpTcpInSegs),
        ("Tcp", "OutSegs", \.snmpTcpOutSegs), ("Tcp", "RetransSegs", \.snmpTcpRetransSegs),
        ("Tcp", "InErrs", \.snmpTcpInErrs), ("Tcp", "OutRsts", \.snmpTcpOutRsts),
        ("Tcp", "InCsumErrors", \.snmpTcpInCsumErrors),
        ("Udp", "InDatagrams", \.snmpUdpInDatagrams), ("Udp", "NoPorts", \.snmpUdpNoPorts),
        ("Udp", "InErrors", \.snmpUdpInErrors), ("Udp", "OutDatagrams", \.snmpUdpOutDatagrams),
    ]

    /// Every snmp_* field whose column this kernel prints; `Forwarding` is 1 (forwarding) or 2 (not).
    mutating func record(_ snmp: NetSNMP) {
        for (proto, column, field) in Self.snmpFields {
            self[keyPath: field] = snmp[proto, column]
        }
        snmpIpForwardingEnabled = snmp["Ip", "Forwarding"].map { $0 == 1 }
    }
}

// libnl-3 / libnl-route-3 for Swift: the headers, plus static-inline shims for the casts and macros
// Swift cannot call. Do not define _GNU_SOURCE here: it breaks fd_set against Glibc (see ARCHITECTURE.md).
#ifndef VCONNECTOR_CNETLINK_SHIM_H
#define VCONNECTOR_CNETLINK_SHIM_H

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/cache.h>
#include <netlink/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/rule.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/link/bonding.h>

// setns() is a GNU extension; declared here instead of defining _GNU_SOURCE.
extern int setns(int fd, int nstype);
static const int CNL_CLONE_NEWNET = 0x40000000;

static inline struct rtnl_link *cnl_link_cast(struct nl_object *object) { return (struct rtnl_link *)object; }
static inline struct rtnl_route *cnl_route_cast(struct nl_object *object) { return (struct rtnl_route *)object; }
static inline struct rtnl_addr *cnl_addr_cast(struct nl_object *object) { return (struct rtnl_addr *)object; }
static inline struct rtnl_rule *cnl_rule_cast(struct nl_object *object) { return (struct rtnl_rule *)object; }

/// Link speed in Mb/s from the ethtool ioctl; returns 0 on success, -errno on failure,
/// and stores UINT32_MAX in *mbps when the driver reports SPEED_UNKNOWN.
static inline int cnl_ethtool_speed_mbps(int fd, const char *ifname, uint32_t *mbps) {
    struct ethtool_cmd cmd;
    struct ifreq ifr;
    memset(&cmd, 0, sizeof(cmd));
    memset(&ifr, 0, sizeof(ifr));
    cmd.cmd = ETHTOOL_GSET;
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    ifr.ifr_data = (char *)&cmd;
    if (ioctl(fd, SIOCETHTOOL, &ifr) != 0) return -errno;
    *mbps = ethtool_cmd_speed(&cmd);
    return 0;
}

static const int CNL_NLM_F_CREATE = NLM_F_CREATE;
static const int CNL_NLM_F_EXCL = NLM_F_EXCL;
static const int CNL_NLM_F_REPLACE = NLM_F_REPLACE;
static const unsigned int CNL_IFF_UP = IFF_UP;

#endif

// libnftables: the library behind `nft`, so rulesets are applied and read in-process (in the calling
// thread's network namespace) instead of spawning `nft` for every observation.
#ifndef VCONNECTOR_CNFTABLES_SHIM_H
#define VCONNECTOR_CNFTABLES_SHIM_H
#include <stdio.h>
#include <nftables/libnftables.h>
#endif

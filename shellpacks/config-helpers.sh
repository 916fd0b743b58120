# Sourced by run-mmtests (and run-kvm for -C) before any config
# (docs/configs.md). The host facts (NUMCPUS, NUM_CPUS, NUMNODES,
# MEMTOTAL_BYTES, MEMTOTAL_PAGES, MEMTOTAL_HUGEPAGES, PAGESIZE,
# HUGE_PAGESIZE) are computed once, in C (config_add_host_facts), and are
# already exported; this file adds MMTests's helper functions.
: "${NUMCPUS:?the host facts come from run-mmtests: source configs through it}"
. "$SHELLPACK_INCLUDE/include-sizes.sh"

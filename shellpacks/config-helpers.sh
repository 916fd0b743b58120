# Sourced by run-mmtests (and run-kvm for -C) before any config
# (docs/configs.md). The host facts (NUMCPUS, NUM_CPUS, NUMNODES,
# MEMTOTAL_BYTES, MEMTOTAL_PAGES, MEMTOTAL_HUGEPAGES, PAGESIZE,
# HUGE_PAGESIZE) are computed once, in C (config_add_host_facts), and are
# already exported; this file adds MMTests's helper functions.
: "${NUMCPUS:?the host facts come from run-mmtests: source configs through it}"
. "$SHELLPACK_INCLUDE/include-sizes.sh"

# MMTests's helper functions that its configs call (its shellpacks/
# common.sh), with the same words. A config that dies stops loading: the
# loader names it (MMTests stops there too).
die() {
	echo "FATAL${P:+ $P}: $*"
	exit 255
}
error() { echo "ERROR${P:+ $P}: $*"; }
warn() { echo "WARNING${P:+ $P}: $*"; }
log_info() { echo "[$(date)] $*"; }
log_warn() { echo "[$(date)] WARNING: $*"; }
log_error() { echo "[$(date)] ERROR: $*"; }

# Transparent hugepages: MMTests writes sysfs while loading the config;
# here the config only asks, and run-mmtests applies it for the run and
# restores it after (VM_TRANSPARENT_HUGEPAGES_DEFAULT, docs/configs.md).
enable_transhuge() { export VM_TRANSPARENT_HUGEPAGES_DEFAULT=always; }
disable_transhuge() { export VM_TRANSPARENT_HUGEPAGES_DEFAULT=never; }
reset_transhuge() { export VM_TRANSPARENT_HUGEPAGES_DEFAULT=default; }

# MMTests offlines memory blocks down to the limit (its offline-memory
# tool); mmtests-c does not. Sizes the config derives afterwards from
# MEMTOTAL_BYTES see the limit, as they would in MMTests.
limit_memory() {
	echo "limit_memory: not built in mmtests-c: memory is not offlined; MEMTOTAL_BYTES is taken as $1 for the sizes this config computes" >&2
	if [ "$1" -lt "$MEMTOTAL_BYTES" ] 2>/dev/null; then
		export MEMTOTAL_BYTES=$1
	fi
}

# MMTests's bin/nas-class.sh: its first lines answer C on every machine.
nas-class.sh() { echo C; }

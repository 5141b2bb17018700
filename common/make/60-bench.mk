# The benchmark: the cost of a volume, against unshare, bwrap and the kernel's own bind +
# unmount (a report, not a test).

## bench              time `container run -v` against unshare and bwrap, 1..1000 volumes against the kernel
.PHONY: bench
bench: ready
	@BUILD_DIR=$(BUILD_DIR) $(TOP)/common/tools/in-namespace $(TOP)/common/tools/bench

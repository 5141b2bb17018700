# The benchmark: the cost of a volume, against unshare and bwrap (a report, not a test).

## bench              time `container run -v` against unshare and bwrap, and 1..1000 volumes
.PHONY: bench
bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory image
	@$(TOP)/common/tools/in-namespace $(TOP)/common/tools/bench

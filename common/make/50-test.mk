# Tests: every suite of the project through common/tools/run-tests, which ends with the
# line "N passed, N failed". The list of suites is at the top of that script.

## test               every check of the project (build with -Werror, image, all suites)
## test-e2e           only the Bats end-to-end suite: FILTER=cli runs tests/e2e/cli.bats; a FILTER
##                    that names no file picks the tests whose name it matches (a regex)
.PHONY: test test-e2e test-prepare
test: test-prepare
	@BUILD_DIR=$(BUILD_DIR) $(TOP)/common/tools/run-tests

test-e2e: test-prepare
	@BUILD_DIR=$(BUILD_DIR) FILTER='$(FILTER)' $(TOP)/common/tools/run-tests e2e

# One after the other, also under `make -j`.
# The workshop's own consistency first (seconds): a broken step fails before any build.
test-prepare:
	@$(TOOLS_DIR)/workshop check >/dev/null || $(TOOLS_DIR)/workshop check
	@$(MAKE) --no-print-directory ready

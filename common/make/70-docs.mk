# The documentation site (Doxygen and Graphviz), and the clean-up after a crashed attempt.

DOCS_DIR ?= $(BUILD_DIR)/docs

## docs               build the documentation site: build/docs/html/index.html (a warning fails it)
.PHONY: docs
docs:
	@$(TOP)/common/tools/docs-build "$(DOCS_DIR)"

## clean-mounts       list the mounts a crashed attempt left under /tmp and the repo; YES=1 detaches them
.PHONY: clean-mounts
clean-mounts:
	@$(TOP)/common/tools/cleanup-mounts $(if $(YES),--yes)

# Dependencies: the Debian packages the workshop needs (common/tools/install-deps).

## deps               install the missing Debian packages (apt-get, as root or through sudo)
.PHONY: deps
deps:
	@$(TOP)/common/tools/install-deps

# The volumes workshop. Two commands for a newcomer (on Debian 12, as yourself: the tools
# ask for sudo when they need it; never `sudo make`):
#
#   make demo    install what is missing, build, make the image, and watch a volume work
#   make test    every check of the project; ends with "N passed, N failed"
#
# `make help` lists the rest. Each group of targets lives in common/make/*.mk.

.DEFAULT_GOAL := build
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Run as yourself: the tools ask for sudo where they need root. Files of this checkout that
# belong to root (an earlier `sudo make`) would make the targets fail half-way: say so first,
# with the command that gives them back (common/tools/ownership).
ifneq ($(shell id -u),0)
NOT_YOURS := $(shell $(TOP)/common/tools/ownership --check)
ifneq ($(NOT_YOURS),)
$(error $(NOT_YOURS))
endif
endif

# `sudo make TARGET` in a checkout of your own: TARGET runs as root, as asked, then the files
# it made are given back to you, also after Ctrl-C, so that none is left that you cannot
# change or delete. (The sub-make, with GIVING_BACK set, is the usual make.)
ifeq ($(shell id -u)$(if $(SUDO_UID),:sudo)$(GIVING_BACK),0:sudo)
GOALS := $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))
.PHONY: $(GOALS)
$(firstword $(GOALS)):
	@trap : INT TERM; status=0; \
	$(MAKE) --no-print-directory -f $(TOP)/Makefile GIVING_BACK=1 $(GOALS) || status=$$?; \
	$(TOP)/common/tools/ownership --give-back; exit $$status
$(wordlist 2,$(words $(GOALS)),$(GOALS)): $(firstword $(GOALS)) ; @:
else
include $(sort $(wildcard $(TOP)/common/make/*.mk))

# A student release (make student-release) has no solutions/: its help leaves out what
# needs them.
.PHONY: help
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST) $(if $(wildcard $(TOP)/solutions/.),,| grep -v solution)
endif

# The volumes workshop. Two commands for a newcomer (on Debian 12, as yourself: the tools
# ask for sudo when they need it; never `sudo make`):
#
#   make demo    install what is missing, build, make the image, and watch a volume work
#   make test    every check of the project; ends with "N passed, N failed"
#
# `make help` lists the rest. Each group of targets lives in common/make/*.mk.

.DEFAULT_GOAL := build
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

include $(sort $(wildcard $(TOP)/common/make/*.mk))

# A student release (make student-release) has no solutions/: its help leaves out what
# needs them.
.PHONY: help
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST) $(if $(wildcard $(TOP)/solutions/.),,| grep -v solution)

# The image the containers run on: images/busybox, from Debian's busybox-static.

IMAGES_DIR ?= $(TOP)/images

## image              build images/busybox (busybox-static + one symlink per applet)
.PHONY: image clean-images
image:
	@$(TOP)/common/tools/install-deps busybox-static
	@$(TOP)/common/tools/make-image $(IMAGES_DIR)/busybox

# What the demo, the tests and the benchmark need first: the packages, the build, the image,
# one after the other, also under `make -j`.
.PHONY: ready
ready:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory image

## clean-images       remove images/ (refused while anything is mounted inside it)
clean-images:
	@$(TOP)/common/tools/remove-tree $(IMAGES_DIR)

# The image the containers run on: images/busybox, from Debian's busybox-static.

IMAGES_DIR ?= $(TOP)/images

## image              build images/busybox (busybox-static + one symlink per applet)
.PHONY: image clean-images
image:
	@$(TOP)/common/tools/install-deps busybox-static
	@$(TOP)/common/tools/make-image $(IMAGES_DIR)/busybox

## clean-images       remove images/ (refused while anything is mounted inside it)
clean-images:
	@$(TOP)/common/tools/remove-tree $(IMAGES_DIR)

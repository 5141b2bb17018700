# Building: CMake under make. The build tree is build/; bin/container is the reference runtime.

BUILD_DIR   ?= $(TOP)/build
BUILD_TYPE  ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)

## build              build bin/container (the reference runtime) and the test binaries
.PHONY: build configure
build: configure
	@GNUMAKEFLAGS=--no-print-directory cmake --build $(BUILD_DIR) -j $(JOBS)
	@mkdir -p $(TOP)/bin
	@cp -f $(BUILD_DIR)/bin/container $(TOP)/bin/container

configure: $(BUILD_DIR)/CMakeCache.txt
$(BUILD_DIR)/CMakeCache.txt:
	@cmake -S $(TOP) -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

## clean              remove build/ and bin/ (images/ is kept; `make clean-images` removes it)
.PHONY: clean
clean:
	rm -rf $(BUILD_DIR) $(TOP)/bin

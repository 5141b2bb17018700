# One style for the C++ sources (.clang-format), applied and checked by common/tools/format.

## format             rewrite the C++ sources in the house style (.clang-format)
## format-check       name the C++ files that differ from it (part of `make test`)
.PHONY: format format-check
format:
	@$(TOP)/common/tools/format

format-check:
	@$(TOP)/common/tools/format --check

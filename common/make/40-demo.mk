# The demo: the exercise's scenario, played with the reference runtime, both sides shown.

## demo               install what is missing, build, make the image, and watch a volume work
.PHONY: demo
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory image
	@$(TOP)/common/tools/in-namespace $(TOP)/common/tools/demo

# The demo: the exercise's scenario, played with the reference runtime, both sides shown.

## demo               install what is missing, build, make the image, and watch a volume work
.PHONY: demo
demo: ready
	@$(TOP)/common/tools/in-namespace $(TOP)/common/tools/demo

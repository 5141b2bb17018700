# Grading: common/tools/grade builds what a step needs and runs its checks, each in a
# throwaway mount namespace under a timeout. The run ends with "N passed, N failed".

STEP    ?=
FROM    ?= steps
TIMEOUT ?= 20
REPORT  ?=

GRADE_IMAGE = $(or $(IMAGES_DIR),$(TOP)/images)/busybox
GRADE = $(TOP)/common/tools/grade --build-dir $(BUILD_DIR) --build-type $(BUILD_TYPE) \
	--jobs $(JOBS) --from $(FROM) --timeout $(TIMEOUT) --image $(GRADE_IMAGE) \
	$(if $(REPORT),--report $(REPORT))

## grade              grade your code: STEP=02-mount for one step (default: all, then a table);
##                    TIMEOUT=s per check; REPORT=json|junit|tap
##                    FROM=solutions grades the reference code instead
## grade-selfcheck    prove the checks: every step passes on solutions/, fails on its skeleton,
##                    and catches each wrong answer of the catalogue; STEP=02-mount for one step
## catalogue          only the wrong answers of solutions/catalogue/: STEP=02 the variants of a step,
##                    VARIANT=name one of them, with the failure that caught it (solutions/catalogue/README.md)
.PHONY: grade grade-selfcheck catalogue grade-prepare
grade: grade-prepare
	@$(GRADE) $(if $(STEP),--step $(STEP))

grade-selfcheck: grade-prepare
	@$(GRADE) --selfcheck $(if $(STEP),--step $(STEP))

catalogue: grade-prepare
	@$(GRADE) --catalogue $(if $(STEP),--step $(STEP)) $(if $(VARIANT),--variant '$(VARIANT)')

# The image the Bats checks run on; made only when it is missing.
grade-prepare:
	@$(if $(wildcard $(GRADE_IMAGE)/bin/busybox),true,$(MAKE) --no-print-directory image)

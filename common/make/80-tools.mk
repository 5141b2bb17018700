# The learner's and the instructor's tools (common/tools/, each explains itself with --help):
# progress, hints, reset, the reference once a step passes (common/tools/workshop), watch;
# doctor, class grading, the student release. They share the grader's state file,
# BUILD_DIR/grade-state.json, and take the steps from steps/steps.json.

TOOLS_DIR = $(TOP)/common/tools
TOOL_ENV  = BUILD_DIR='$(BUILD_DIR)'
WORKSHOP  = $(TOOL_ENV) $(TOOLS_DIR)/workshop

## progress           every step: not started / in progress / passing, last graded, points, hints seen
## hint               the next hint of a step: STEP=01 (N=3 shows hint 3; ALL=1 lists those seen)
## reset              put a step's skeleton back: STEP=01 (asks first; YES=1 does not); keeps your file in .backup/
## solution           the reference of a step once it passes: STEP=02 (DIFF=1 a diff with yours; FORCE=1 before)
## watch              grade again whenever the step's files change: STEP=02 (INTERVAL=s when polling); Ctrl-C stops
.PHONY: progress hint reset solution watch
progress:
	@$(WORKSHOP) progress

hint:
	@$(WORKSHOP) hint --step '$(STEP)' $(if $(N),--number '$(N)') $(if $(ALL),--all)

reset:
	@$(WORKSHOP) reset --step '$(STEP)' $(if $(YES),--yes)

solution:
	@$(WORKSHOP) solution --step '$(STEP)' $(if $(DIFF),--diff) $(if $(FORCE),--force)

watch: grade-prepare
	@$(TOOL_ENV) $(TOOLS_DIR)/watch $(if $(STEP),--step '$(STEP)') \
		$(if $(INTERVAL),--interval $(INTERVAL)) $(if $(MAX_RUNS),--max-runs $(MAX_RUNS)) \
		-- $(GRADE) $(if $(STEP),--step '$(STEP)')

## check-workshop     the steps agree with steps/steps.json: guides, hints, TODOs, checks (seconds, no build)
## classroom          write the GitHub Classroom files (and the table of steps/README.md) from steps/steps.json
.PHONY: check-workshop classroom
check-workshop:
	@$(TOOLS_DIR)/workshop check

classroom:
	@$(TOOLS_DIR)/workshop classroom

## doctor             check this machine before a class: root, namespaces, system calls, tools
## grade-all          grade a class: SUBMISSIONS=DIR (a directory per student) -> build/reports/class.{csv,json};
##                    STEPS=01-setup,full a subset; PARALLEL=n students at once; STUDENT_TIMEOUT=s each
## student-release    write a copy for students to DEST=DIR: no solutions/, the reference compiled in reference/
.PHONY: doctor grade-all student-release
doctor:
	@$(TOOLS_DIR)/doctor

grade-all: grade-prepare
	@$(TOOLS_DIR)/grade-all --submissions '$(SUBMISSIONS)' --build-dir '$(BUILD_DIR)' \
		--build-type $(BUILD_TYPE) --jobs $(JOBS) --timeout $(TIMEOUT) --image '$(GRADE_IMAGE)' \
		$(if $(STEPS),--steps '$(STEPS)') $(if $(PARALLEL),--parallel $(PARALLEL)) \
		$(if $(STUDENT_TIMEOUT),--student-timeout $(STUDENT_TIMEOUT))

student-release:
	@$(TOOLS_DIR)/student-release --dest '$(DEST)' --build-dir '$(BUILD_DIR)' \
		--build-type $(BUILD_TYPE) --jobs $(JOBS)

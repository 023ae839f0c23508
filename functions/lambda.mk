# The build that `sam build` runs for each function (template.yaml: Metadata BuildMethod makefile).
# SAM calls `make -f functions/<name>/Makefile build-<LogicalId>` in a scratch folder, with
# ARTIFACTS_DIR set to the folder it zips for that function. Maven builds the six shaded jars in
# one run (the first function's build; the later ones find the jars newer than every source), and
# the function's jar goes into the artifact's lib/, which Lambda's Java runtime puts on the class path.

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
MVN ?= mvn
FUNCTIONS := record flush correction predict snapshot train
STAMP := $(ROOT)/target/sam-build.stamp
SOURCES := $(shell find $(ROOT)/shared/src/main $(ROOT)/db $(foreach f,$(FUNCTIONS),$(ROOT)/functions/$(f)/src/main) -type f) \
  $(ROOT)/pom.xml $(ROOT)/shared/pom.xml $(foreach f,$(FUNCTIONS),$(ROOT)/functions/$(f)/pom.xml)

$(STAMP): $(SOURCES)
	$(MVN) -B -q -f $(ROOT)/pom.xml -pl $(subst $(space),$(comma),$(foreach f,$(FUNCTIONS),functions/$(f))) -am -DskipTests package
	mkdir -p $(dir $(STAMP)) && touch $(STAMP)

empty :=
space := $(empty) $(empty)
comma := ,

.PHONY: lambda-artifact
lambda-artifact: $(STAMP)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: this target is run by sam build" >&2; exit 2; }
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp "$(ROOT)/functions/$(FUNCTION)/target/lambda/$(FUNCTION)-function.jar" "$(ARTIFACTS_DIR)/lib/"

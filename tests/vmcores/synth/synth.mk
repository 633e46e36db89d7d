# Make fragment for the synthetic vmcore tests (optional; `include` it from
# the top-level Makefile).  Paths are relative to the repository root.
SYNTH_DIR ?= tests/vmcores/synth

.PHONY: check-synth synth-sample synth-dumps
# run only the synthetic tests against ./smmu-strtab-dump
check-synth: smmu-strtab-dump
	bash $(SYNTH_DIR)/test.sh
# regenerate the README quick-start sample (commit both files)
synth-sample:
	/usr/bin/python3 $(SYNTH_DIR)/gen.py --sample tests/vmcores/sample.vmcore
# write every scenario into build/synth for manual inspection
synth-dumps:
	/usr/bin/python3 $(SYNTH_DIR)/gen.py build/synth

# smmu-strtab-dump
VERSION    := 0.1
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man/man1
DESTDIR    ?=

PKGS       := libkdumpfile smartcols jansson libbpf libdw libelf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

CC         ?= cc
AR         ?= ar
CFLAGS     ?= -O2 -g
WERROR     ?= -Werror
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DSD_STRICT_ERRORS
# Messages and names are truncated to fixed buffers on purpose.
WARN       := -std=gnu11 -Wall -Wextra $(WERROR) -Wno-format-truncation
# Header dependencies of every object, written beside it.
DEPFLAGS   := -MMD -MP
SD_CFLAGS  := $(WARN) -Iinclude/smmu -Iinclude/sd $(PKG_CFLAGS) -DSD_VERSION=\"$(VERSION)\"

# The layers (README, Layout).  libsmmu.a is the architecture alone
# (src/util + src/smmu): it is compiled seeing only include/smmu, so an
# include of anything of Linux or dumps fails to compile, and the decoder
# unit tests link against it alone, so a call into another layer fails to
# link.  libsdtool.a is everything a front end needs above it; the CLI is
# src/cli over the two.
SMMU_SRCS  := $(wildcard src/util/*.c src/smmu/*.c)
TOOL_SRCS  := $(wildcard src/dump/*.c src/kernel/*.c src/hw/*.c src/analysis/*.c src/report/*.c src/session/*.c)
CLI_SRCS   := $(wildcard src/cli/*.c)
SRCS       := $(SMMU_SRCS) $(TOOL_SRCS) $(CLI_SRCS)
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)

# Each layer sees the public headers, and its own private ones.
layer_cflags = $(if $(filter src/smmu/% src/util/%,$(1)),$(WARN) -Iinclude/smmu -DSD_VERSION=\"$(VERSION)\",$(SD_CFLAGS) -I$(dir $(1)))
TEST_CFLAGS := $(SD_CFLAGS) -Isrc/dump -Isrc/kernel -Itests/unit

# Two build trees: the normal one and the sanitizer one.
B          := build
S          := build-san

all: smmu-strtab-dump

$(B)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(call layer_cflags,$<) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<
$(S)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(call layer_cflags,$<) $(DEPFLAGS) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(B)/libsmmu.a: $(SMMU_SRCS:src/%.c=$(B)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(S)/libsmmu.a: $(SMMU_SRCS:src/%.c=$(S)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(B)/libsdtool.a: $(TOOL_SRCS:src/%.c=$(B)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(S)/libsdtool.a: $(TOOL_SRCS:src/%.c=$(S)/%.o)
	rm -f $@ && $(AR) rcs $@ $^

LIBS_B     := $(B)/libsdtool.a $(B)/libsmmu.a
LIBS_S     := $(S)/libsdtool.a $(S)/libsmmu.a

smmu-strtab-dump: $(CLI_SRCS:src/%.c=$(B)/%.o) $(LIBS_B)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)
$(S)/smmu-strtab-dump: $(CLI_SRCS:src/%.c=$(S)/%.o) $(LIBS_S)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# The decoder tests link against libsmmu.a alone; the others against both.
unit_libs = $(if $(filter test_decoders,$(notdir $(1))),$(2)/libsmmu.a,$(2)/libsdtool.a $(2)/libsmmu.a $(PKG_LIBS))
$(B)/unit/%: tests/unit/%.c $(LIBS_B)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(CFLAGS) -o $@ $< $(call unit_libs,$@,$(B)) $(LDLIBS)
$(S)/unit/%: tests/unit/%.c $(LIBS_S)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -o $@ $< $(call unit_libs,$@,$(S)) $(LDLIBS)

# Test helpers in tests/unit that tests/run does not run by themselves
# (tests/vmcores/real/test.sh runs sd_modbtf and sd_textref on the real dumps,
# tests/debuginfod/test.sh sd_modbid).
UNIT_B := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%) $(B)/unit/sd_modbtf $(B)/unit/sd_textref $(B)/unit/sd_modbid
UNIT_S := $(UNIT_SRCS:tests/unit/%.c=$(S)/unit/%) $(S)/unit/sd_modbtf $(S)/unit/sd_textref $(S)/unit/sd_modbid

sanitize: $(S)/smmu-strtab-dump $(UNIT_S)

# The whole suite, once with the normal build and once under
# AddressSanitizer + UndefinedBehaviorSanitizer; one summary line at the end.
# The real-dump generator keeps its results in a cache and skips what is
# already there (tests/vmcores/real/README.txt).
check: smmu-strtab-dump $(UNIT_B) sanitize fuzz-build
	tests/vmcores/real/generate && tests/vmcores/real/fetch-dbg.sh
	tests/vmcores/real/vfio-generate || echo "vfio-generate failed (tests/vmcores/real/check.py reports it)"
	tests/run --build $(B) --build $(S)

check-fast: smmu-strtab-dump $(UNIT_B)
	tests/run --build $(B)

# The fuzzing tree (README, Tests): the same sources compiled by
# clang with libFuzzer's coverage hooks and ASan+UBSan, and one libFuzzer
# harness per parser of untrusted bytes.  `make fuzz` runs each for
# FUZZ_TIME seconds; `make check` runs each over its seed corpus and for a
# few seconds (tests/fuzz/test.sh).
F          := build-fuzz
FUZZ_CC    ?= clang
FUZZ_TIME  ?= 300
FUZZ_SAN   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# clang does not know gcc's -Wformat-truncation.
FUZZ_CFLAGS := -O1 -g $(FUZZ_SAN) -Wno-unknown-warning-option
FUZZERS    := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

$(F)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(call layer_cflags,$<) $(DEPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(F)/libsmmu.a: $(SMMU_SRCS:src/%.c=$(F)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(F)/libsdtool.a: $(TOOL_SRCS:src/%.c=$(F)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
# fuzz_decoders and fuzz_parse link libsmmu.a alone, like the decoder unit tests.
fuzz_libs = $(if $(filter fuzz_decoders fuzz_parse,$(notdir $(1))),$(F)/libsmmu.a,$(F)/libsdtool.a $(F)/libsmmu.a $(PKG_LIBS))
$(F)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/*.h $(F)/libsdtool.a $(F)/libsmmu.a
	$(FUZZ_CC) $(TEST_CFLAGS) -D_GNU_SOURCE $(FUZZ_CFLAGS) -fsanitize=fuzzer \
		-o $@ $< $(call fuzz_libs,$@) $(LDLIBS)

fuzz-build: $(FUZZERS:%=$(F)/%)
fuzz: fuzz-build
	tests/fuzz/fuzz.sh run $(FUZZ_TIME)

# The crash extension (README, Crash extension): smmu.so, src/crash over a
# position-independent build of the same two libraries (build-pic/), built
# against crash's defs.h (Debian: the crash package's /usr/include/crash).
# defs.h wants the target machine's name, as crash's own extensions get it.
P          := build-pic
CRASH_INCLUDE ?= /usr/include/crash
CRASH_TARGET ?= $(shell $(CC) -dumpmachine | sed -e 's/-.*//' -e 's/^x86_64$$/X86_64/' \
		-e 's/^aarch64$$/ARM64/' -e 's/^i[3-6]86$$/X86/' -e 's/^arm.*/ARM/' \
		-e 's/^powerpc64.*/PPC64/' -e 's/^s390x$$/S390X/' -e 's/^riscv64$$/RISCV64/')
CRASH_EXTDIR ?= $(PREFIX)/lib/crash/extensions
CRASH_SRCS := $(wildcard src/crash/*.c)

$(P)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(call layer_cflags,$<) $(DEPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<
$(P)/libsmmu.a: $(SMMU_SRCS:src/%.c=$(P)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(P)/libsdtool.a: $(TOOL_SRCS:src/%.c=$(P)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(P)/crash/%.o: src/crash/%.c
	@mkdir -p $(dir $@)
	@test -f $(CRASH_INCLUDE)/defs.h || { echo "no $(CRASH_INCLUDE)/defs.h: install crash (Debian: the crash package) or set CRASH_INCLUDE" >&2; exit 1; }
	$(CC) $(SD_CFLAGS) -Isrc/crash -I$(CRASH_INCLUDE) -D$(CRASH_TARGET) $(DEPFLAGS) $(CFLAGS) -fPIC -c -o $@ $<
$(P)/smmu.so: $(CRASH_SRCS:src/%.c=$(P)/%.o) $(P)/libsdtool.a $(P)/libsmmu.a
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ $^ $(PKG_LIBS) $(LDLIBS)

crash-extension: $(P)/smmu.so
install-crash-extension: $(P)/smmu.so
	install -d $(DESTDIR)$(CRASH_EXTDIR)
	install -m 0644 $(P)/smmu.so $(DESTDIR)$(CRASH_EXTDIR)/smmu.so

-include tests/vmcores/synth/synth.mk
-include tests/vmcores/real/real.mk

$(B)/bench_lb: tests/bench_lb.c $(LIBS_B)
	$(CC) $(TEST_CFLAGS) $(CFLAGS) -o $@ $< $(LIBS_B) $(PKG_LIBS) $(LDLIBS)

bench: smmu-strtab-dump $(B)/bench_lb
	BENCH_LB=$(B)/bench_lb tests/bench

# The binary, the man page, the bash completion, and the capture hooks
# (README, Capture kernel) where kdump-tools and kdump-utils expect them.  Nothing is enabled: the
# administrator copies the drop-in / kdump.conf lines.
LIBEXECDIR ?= $(PREFIX)/lib/smmu-strtab-dump
DOCDIR     ?= $(PREFIX)/share/doc/smmu-strtab-dump
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
install: smmu-strtab-dump
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR)/kdump-tools $(DESTDIR)$(DOCDIR)/kdump-utils
	install -m 0755 smmu-strtab-dump $(DESTDIR)$(BINDIR)/smmu-strtab-dump
	install -m 0644 man/smmu-strtab-dump.1 $(DESTDIR)$(MANDIR)/smmu-strtab-dump.1
	install -m 0644 contrib/bash-completion/smmu-strtab-dump $(DESTDIR)$(BASHCOMPDIR)/smmu-strtab-dump
	install -m 0755 contrib/kdump-tools/smmu-strtab-dump-pre $(DESTDIR)$(LIBEXECDIR)/smmu-strtab-dump-pre
	install -m 0755 contrib/kdump-utils/smmu-strtab-dump-pre.sh $(DESTDIR)$(LIBEXECDIR)/smmu-strtab-dump-pre.sh
	install -m 0644 contrib/kdump-tools/smmu-strtab-dump.conf $(DESTDIR)$(DOCDIR)/kdump-tools/smmu-strtab-dump.conf
	install -m 0755 contrib/kdump-tools/initramfs-hook $(DESTDIR)$(DOCDIR)/kdump-tools/initramfs-hook
	install -m 0644 contrib/kdump-utils/kdump.conf $(DESTDIR)$(DOCDIR)/kdump-utils/kdump.conf

clean:
	rm -rf $(B) $(S) $(F) $(P) smmu-strtab-dump

-include $(shell find $(B) $(S) $(F) $(P) -name '*.d' 2>/dev/null)

.PHONY: all sanitize check check-fast bench install clean fuzz fuzz-build crash-extension install-crash-extension

# A build for capture environments (kdump initramfs): the libraries Debian
# ships as archives are linked statically (jansson, libbpf, libdw, libelf,
# bzip2, lzma); libkdumpfile, libaddrxlat and libsmartcols have no .a in
# Debian and stay shared, and so do the C library and the compression
# libraries libkdumpfile.so loads itself (zlib, lzo, snappy, zstd: linking
# them in too would only duplicate them).  `ldd smmu-strtab-dump.static`
# lists what the initramfs must still carry.
STATIC_SHARED := kdumpfile addrxlat smartcols z lzo2 snappy zstd c m dl rt pthread
STATIC_LIBS = $(shell for l in $$(pkg-config --static --libs-only-l $(PKGS)); do \
	n=$$(echo $$l | cut -c3-); case " $(STATIC_SHARED) " in (*" $$n "*) echo "-Wl,-Bdynamic $$l" ;; \
	(*) if $(CC) -print-file-name=lib$$n.a | grep -q /; then echo "-Wl,-Bstatic $$l"; \
	   else echo "-Wl,-Bdynamic $$l"; fi ;; esac; done) -Wl,-Bdynamic -pthread

static: smmu-strtab-dump.static
smmu-strtab-dump.static: $(CLI_SRCS:src/%.c=$(B)/%.o) $(LIBS_B)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(STATIC_LIBS) $(LDLIBS)

.PHONY: static
clean-static:
	rm -f smmu-strtab-dump.static
clean: clean-static
.PHONY: clean-static

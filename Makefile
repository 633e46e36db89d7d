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
CFLAGS     ?= -O2 -g
WERROR     ?= -Werror
SAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# Messages and names are truncated to fixed buffers on purpose.
SD_CFLAGS  := -std=gnu11 -Wall -Wextra $(WERROR) -Wno-format-truncation -Iinclude $(PKG_CFLAGS) -DSD_VERSION=\"$(VERSION)\"

SRCS       := $(wildcard src/*.c)
LIB_SRCS   := $(filter-out src/main.c,$(SRCS))
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
HDRS       := $(wildcard include/*.h)

# Two build trees: the normal one and the sanitizer one.
B          := build
S          := build-san

all: smmu-strtab-dump

$(B)/%.o: src/%.c $(HDRS) | $(B)
	$(CC) $(SD_CFLAGS) $(CFLAGS) -c -o $@ $<
$(S)/%.o: src/%.c $(HDRS) | $(S)
	$(CC) $(SD_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -c -o $@ $<
$(B) $(S):
	mkdir -p $@

smmu-strtab-dump: $(SRCS:src/%.c=$(B)/%.o)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)
$(S)/smmu-strtab-dump: $(SRCS:src/%.c=$(S)/%.o)
	$(CC) $(CFLAGS) $(SAN_FLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(B)/unit/%: tests/unit/%.c $(LIB_SRCS:src/%.c=$(B)/%.o) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(SD_CFLAGS) $(CFLAGS) -o $@ $< $(LIB_SRCS:src/%.c=$(B)/%.o) $(PKG_LIBS) $(LDLIBS)
$(S)/unit/%: tests/unit/%.c $(LIB_SRCS:src/%.c=$(S)/%.o) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(SD_CFLAGS) $(CFLAGS) $(SAN_FLAGS) -o $@ $< $(LIB_SRCS:src/%.c=$(S)/%.o) $(PKG_LIBS) $(LDLIBS)

# Test helpers in tests/unit that tests/run does not run by themselves
# (tests/vmcores/real/test.sh runs sd_modbtf on the real dumps).
UNIT_B := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%) $(B)/unit/sd_modbtf
UNIT_S := $(UNIT_SRCS:tests/unit/%.c=$(S)/unit/%) $(S)/unit/sd_modbtf

sanitize: $(S)/smmu-strtab-dump $(UNIT_S)

# The whole suite, once with the normal build and once under
# AddressSanitizer + UndefinedBehaviorSanitizer; one summary line at the end.
# The real-dump generator keeps its results in a cache and skips what is
# already there (tests/vmcores/real/README.txt).
check: smmu-strtab-dump $(UNIT_B) sanitize
	tests/vmcores/real/generate && tests/vmcores/real/fetch-dbg.sh
	tests/run --build $(B) --build $(S)

check-fast: smmu-strtab-dump $(UNIT_B)
	tests/run --build $(B)

-include tests/vmcores/synth/synth.mk
-include tests/vmcores/real/real.mk

$(B)/bench_lb: tests/bench_lb.c $(LIB_SRCS:src/%.c=$(B)/%.o) $(HDRS)
	$(CC) $(SD_CFLAGS) $(CFLAGS) -o $@ $< $(LIB_SRCS:src/%.c=$(B)/%.o) $(PKG_LIBS) $(LDLIBS)

bench: smmu-strtab-dump $(B)/bench_lb
	BENCH_LB=$(B)/bench_lb tests/bench

install: smmu-strtab-dump
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 0755 smmu-strtab-dump $(DESTDIR)$(BINDIR)/smmu-strtab-dump
	install -m 0644 man/smmu-strtab-dump.1 $(DESTDIR)$(MANDIR)/smmu-strtab-dump.1

clean:
	rm -rf $(B) $(S) smmu-strtab-dump

.PHONY: all sanitize check check-fast bench install clean

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
smmu-strtab-dump.static: $(SRCS:src/%.c=$(B)/%.o)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(STATIC_LIBS) $(LDLIBS)

.PHONY: static
clean-static:
	rm -f smmu-strtab-dump.static
clean: clean-static
.PHONY: clean-static

# srtprelay: kernel SRTP media relay, its userspace datapath and SIP B2BUA.
#
#   make            userspace: library, tools, tests, benches (-Werror)
#   make kmod       srtprelay.ko against KDIR
#   make check      deps + build + every test (what CI runs)
#   make run        deps + build + srtprelayd on its embedded configuration
#   make bench      benchmarks (QUICK=1 for a smoke run)
#
# Subdirectories may add targets in a *.mk file beside their sources; every
# such file is included below, so adding a test never edits this file.

CC ?= cc
CLANG ?= clang
BUILD ?= build
Q ?= @

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -Iinclude/uapi -Ikmod -Ilibsrtp-glue -Idaemon
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -fno-strict-aliasing $(WARNINGS)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

# The one place the version is written: debian/changelog's first line.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
CPPFLAGS += -DSRTPRELAY_VERSION='"$(VERSION)"'

LIBS := -lssl -lcrypto
TEST_LIBS := $(LIBS) -lsrtp2 -lmnl

# scripts/kver.sh is the one place that picks the kernel: the guest the tests
# boot (KVER, the newest complete linux-image-*-amd64) and the headers make
# kmod builds against (KDIR, the running kernel's when present, else KVER's).
# Both may be given; the guest targets check that they agree. An empty KVER
# is not given: on a new machine make check's own first step installs the
# kernel, and the makes after it must find it, not inherit the empty KVER
# this make found before.
ifeq ($(strip $(KVER)),)
KVER := $(shell sh scripts/kver.sh 2>/dev/null)
KDIR ?= $(shell sh scripts/kver.sh kdir 2>/dev/null)
else
# KVER= given: the module is built for the kernel the guest will boot.
KDIR ?= /lib/modules/$(KVER)/build
endif
export KVER

# Suites and benchmarks run SIPp through test/bin/sipp, which stops it
# without the deadlock its own SIGINT/SIGTERM handlers can hit.
export PATH := $(CURDIR)/test/bin:$(PATH)

# The SRTP core, the source (latch) policy and the per-packet policy are
# the kernel module's kmod/srtp*.c, kmod/latch.c and kmod/packet_policy.c,
# compiled for userspace.
GLUE_SRCS := kmod/srtp.c kmod/srtp_ctx.c kmod/srtp_state.c kmod/latch.c \
	kmod/packet_policy.c \
	$(sort $(wildcard libsrtp-glue/*.c))
CTL_SRCS := $(sort $(wildcard daemon/ctl/*.c))
DAEMON_SRCS := $(sort $(wildcard daemon/*.c daemon/base/*.c daemon/sip/*.c daemon/tls/*.c \
	daemon/config/*.c daemon/call/*.c))
UNIT_SRCS := $(sort $(wildcard test/unit/*.c))
BENCH_SRCS := $(sort $(wildcard bench/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
asan_obj = $(patsubst %.c,$(BUILD)/asan/%.o,$(1))

GLUE_LIB := $(BUILD)/libsrtp-glue.a
GLUE_LIB_ASAN := $(BUILD)/libsrtp-glue-asan.a
UNIT_BINS := $(patsubst test/unit/%.c,$(BUILD)/test/%,$(UNIT_SRCS))
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
PROGRAMS := $(if $(CTL_SRCS),$(BUILD)/srtprelayctl) \
	$(if $(DAEMON_SRCS),$(BUILD)/srtprelayd)

.PHONY: all kmod deps test check run bench clean
# Keep objects make would otherwise delete as intermediates.
.SECONDARY:
all: $(GLUE_LIB) $(PROGRAMS) $(UNIT_BINS) $(BENCH_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -MMD -MP -c $< -o $@

$(GLUE_LIB): $(call obj,$(GLUE_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(GLUE_LIB_ASAN): $(call asan_obj,$(GLUE_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/srtprelayctl: $(call obj,$(CTL_SRCS)) $(GLUE_LIB)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lmnl

$(BUILD)/srtprelayd: $(call obj,$(DAEMON_SRCS)) $(GLUE_LIB)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS) $(LIBS) -lmnl

# Unit tests run under AddressSanitizer and UBSan.
$(BUILD)/test/%: $(BUILD)/asan/test/unit/%.o $(GLUE_LIB_ASAN)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(TEST_LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(GLUE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(TEST_LIBS)

kmod:
	@test -e "$(KDIR)/Makefile" || { echo "kmod: no kernel headers in KDIR=$(KDIR):" \
		"apt-get install linux-headers-$(or $(KVER),amd64) (or make deps)"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Before a guest boots: the module must be built for the kernel it boots.
.PHONY: kver-check
kver-check:
	@sh scripts/kver.sh check "$(KDIR)"

deps:
	sh scripts/deps.sh

# Every test suite prints "N passed, N failed"; test/run.sh adds them up.
test: all
	sh test/run.sh $(UNIT_BINS)

# Install, build, module (W=1, sparse), unit tests, then every suite the
# *.mk files add; scripts/check.sh runs each to the end within a time budget
# (the install's time counts: CI's 90 minutes include it) and prints one
# closing line.
check:
	sh scripts/check.sh deps all kmod-strict test $(CHECK_EXTRA)

.PHONY: kmod-strict
kmod-strict:
	$(MAKE) kmod W=1 C=1

# The first command on a fresh machine: installs what is missing (a dpkg
# query when nothing is), builds, starts.
run: deps
	$(MAKE) --no-print-directory all
	sh scripts/run.sh

bench: all
	sh bench/run.sh

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
include $(sort $(wildcard */*.mk */*/*.mk))

# Filled in by the *.mk files: further suites check runs after the unit tests.
.PHONY: check-extra
check-extra: $(CHECK_EXTRA)

# Crash-safety suite (issue 16): srtprelayd, the userspace datapath and
# the module die or go away under live calls; calls go on. Each
# test/crash/t_*.sh runs as its own process (test/run_files.sh adds up
# their "N passed, N failed" lines).
#
#   make crashcheck                 every crash test
#   make crashcheck CRASHES=t_01    only the files matching a prefix

CRASH_TOOLS := $(BUILD)/crash/srtp_fleet

$(BUILD)/crash/srtp_fleet: test/crash/srtp_fleet.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lsrtp2 -lcrypto

.PHONY: crashcheck
crashcheck: all ktools $(CRASH_TOOLS)
	sh test/run_files.sh test/crash crashcheck $(CRASHES)

# Joins make check with its first test (an empty suite fails).
CHECK_EXTRA += crashcheck

# make bench QUICK=1 is part of make check: the harness must keep working.
.PHONY: bench-quick
bench-quick: all
	QUICK=1 sh bench/run.sh
CHECK_EXTRA += bench-quick

# Every bench/*.c is a program of its own; loadgen is several files, so it
# lives in bench/loadgen/ with a rule of its own.
LOADGEN_SRCS := $(sort $(wildcard bench/loadgen/*.c))
all: $(BUILD)/bench/loadgen
$(BUILD)/bench/loadgen: $(call obj,$(LOADGEN_SRCS)) $(GLUE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(TEST_LIBS)

# One part of make bench on its own (bench/run.sh runs them all):
#   make bench-host BENCH_SYSTEM=rtpengine BENCH_MODE=srtp  one search
#     (modes: srtp, aes256, gcm, pass, rtp; see bench/netns.sh)
#   make bench-vm                                srtprelay.ko and rtpengine's kernel
#                                                module in a TCG guest, loadgen on the host
#   make bench-kmod [BASE_KO=old/srtprelay.ko]   srtprelay.ko's memory per stream,
#                                                ns per packet and profile in the guest
#   make bench-sip                               srtprelayd call setup rate
BENCH_SYSTEM ?= srtprelay-dp
BENCH_MODE ?= srtp
.PHONY: bench-host bench-vm bench-kmod bench-sip
bench-host: $(BUILD)/bench/loadgen $(BUILD)/bench/relaysetup $(BUILD)/srtprelay-datapath
	BUILD=$(BUILD) CSV=$(BUILD)/bench-host.csv sh bench/netns.sh $(BENCH_SYSTEM) $(BENCH_MODE) \
		--start 50 --duration 4 --max-steps 10
bench-vm: $(BUILD)/bench/loadgen $(BUILD)/bench/relaysetup $(BUILD)/srtprelayctl
	BUILD=$(BUILD) CSV=$(BUILD)/bench-vm.csv sh bench/vm.sh
bench-kmod: $(BUILD)/bench/loadgen $(BUILD)/bench/relaysetup $(BUILD)/srtprelayctl ktools
	BUILD=$(BUILD) BASE_KO=$(BASE_KO) sh bench/kmod-cost.sh
bench-sip: $(BUILD)/srtprelayd
	BUILD=$(BUILD) sh bench/sip.sh

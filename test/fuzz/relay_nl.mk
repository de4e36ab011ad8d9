# libFuzzer target of relay_netlink's decoders and srtprelayctl's argument
# parsers (see fuzz.mk beside it for the conventions; `make fuzz` runs it).

FUZZ_RELAY_NL_SRCS := test/fuzz/fuzz_relay_nl.c libsrtp-glue/relay_netlink.c \
	libsrtp-glue/relay_nl_commands.c libsrtp-glue/relay_nl_codec.c \
	libsrtp-glue/relay_nl_errors.c \
	daemon/ctl/args.c

$(BUILD)/fuzz/fuzz_relay_nl: $(FUZZ_RELAY_NL_SRCS) libsrtp-glue/relay_netlink.h \
		daemon/ctl/args.h include/uapi/linux/srtprelay.h test/fuzz/relay_nl.mk
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(FUZZ_CFLAGS) \
		-o $@ $(FUZZ_RELAY_NL_SRCS) -lmnl -lcrypto

.PHONY: fuzz-relay-nl
fuzz: fuzz-relay-nl

fuzz-relay-nl: $(BUILD)/fuzz/fuzz_relay_nl
	@mkdir -p $(BUILD)/fuzz/corpus/relay_nl $(BUILD)/fuzz/artifacts/
	$(BUILD)/fuzz/fuzz_relay_nl -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/relay_nl- \
		$(BUILD)/fuzz/corpus/relay_nl test/fuzz/corpus/relay_nl

# libFuzzer target of what srtprelayd reads back after a crash: the call
# record decoder and the state journal's replay (see fuzz.mk beside it for
# the conventions; `make fuzz` runs it).

FUZZ_CALL_STORE_SRCS := test/fuzz/fuzz_call_store.c daemon/call/call_record.c \
	daemon/call/call_store.c daemon/call/call_store_file.c \
	daemon/call/leg_key.c libsrtp-glue/sdes.c libsrtp-glue/sdes_format.c \
	libsrtp-glue/sdes_keys.c libsrtp-glue/sdes_params.c \
	daemon/sip/sdp.c daemon/base/sbuf.c daemon/base/log.c daemon/base/addr.c \
	daemon/base/secret_mem.c

$(BUILD)/fuzz/fuzz_call_store: $(FUZZ_CALL_STORE_SRCS) daemon/call/call_record.h \
		daemon/call/call_store.h daemon/call/call.h test/fuzz/call_store.mk
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(FUZZ_CFLAGS) \
		-o $@ $(FUZZ_CALL_STORE_SRCS) -lcrypto

.PHONY: fuzz-call-store
fuzz: fuzz-call-store

fuzz-call-store: $(BUILD)/fuzz/fuzz_call_store
	@mkdir -p $(BUILD)/fuzz/corpus/call_store $(BUILD)/fuzz/artifacts/
	$(BUILD)/fuzz/fuzz_call_store -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/call_store- \
		$(BUILD)/fuzz/corpus/call_store test/fuzz/corpus/call_store

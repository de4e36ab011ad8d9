# libFuzzer targets of the parsers, built with clang straight from their
# sources (not from the gcc-built library) with ASan and UBSan.
#
#   make fuzz                 every target for FUZZ_SECONDS (default 60) each
#   make fuzz FUZZ_SECONDS=600
#
# Seeds are committed in test/fuzz/corpus/NAME/; what a run finds goes to
# $(BUILD)/fuzz/corpus/NAME/ and crashes to $(BUILD)/fuzz/artifacts/.

FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

FUZZ_SDES_SRCS := test/fuzz/fuzz_sdes.c libsrtp-glue/sdes.c \
	libsrtp-glue/sdes_format.c libsrtp-glue/sdes_params.c

$(BUILD)/fuzz/fuzz_sdes: $(FUZZ_SDES_SRCS) libsrtp-glue/sdes.h kmod/srtp.h \
		include/uapi/linux/srtprelay.h test/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(FUZZ_CFLAGS) \
		-o $@ $(FUZZ_SDES_SRCS) -lcrypto

.PHONY: fuzz fuzz-sdes
fuzz: fuzz-sdes

fuzz-sdes: $(BUILD)/fuzz/fuzz_sdes
	@mkdir -p $(BUILD)/fuzz/corpus/sdes $(BUILD)/fuzz/artifacts/
	$(BUILD)/fuzz/fuzz_sdes -max_total_time=$(FUZZ_SECONDS) -max_len=2048 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/sdes- \
		-dict=test/fuzz/sdes.dict \
		$(BUILD)/fuzz/corpus/sdes test/fuzz/corpus/sdes

CHECK_EXTRA += fuzz

# libFuzzer target of the per-packet path: the userspace datapath's packet
# entry with its stream table and the SRTP core both backends share (see
# fuzz.mk beside it for the conventions; `make fuzz` runs it).

# Every kmod/ file the userspace library compiles (the SRTP core and the
# other per-packet code both backends share) is on the path.
FUZZ_PACKET_SRCS := test/fuzz/fuzz_packet.c daemon/datapath/packet.c \
	daemon/datapath/streams.c daemon/datapath/sockets.c daemon/datapath/addr.c \
	daemon/datapath/events.c \
	$(filter kmod/%.c,$(GLUE_SRCS)) libsrtp-glue/crypto_openssl.c

$(BUILD)/fuzz/fuzz_packet: $(FUZZ_PACKET_SRCS) daemon/datapath/datapath.h \
		$(wildcard kmod/*.h) include/uapi/linux/srtprelay.h test/fuzz/packet.mk
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -Idaemon/datapath -std=gnu11 $(WARNINGS) \
		$(FUZZ_CFLAGS) -o $@ $(FUZZ_PACKET_SRCS) -lcrypto -lpthread

.PHONY: fuzz-packet
fuzz: fuzz-packet

fuzz-packet: $(BUILD)/fuzz/fuzz_packet
	@mkdir -p $(BUILD)/fuzz/corpus/packet $(BUILD)/fuzz/artifacts/
	$(BUILD)/fuzz/fuzz_packet -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/packet- \
		$(BUILD)/fuzz/corpus/packet test/fuzz/corpus/packet

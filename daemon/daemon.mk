# srtprelayd: its libraries, the SIP test suite and the fuzz target.
DAEMON_LIBS += -losip2 -losipparser2 -lconfig

.PHONY: sipcheck fuzz
CHECK_EXTRA += sipcheck

sipcheck: $(BUILD)/srtprelayd
	sh test/sip/run.sh $(BUILD)/srtprelayd

# libFuzzer over the SIP and SDP parsers (clang only).
FUZZ_SRCS := daemon/sip_msg.c daemon/sip_frame.c daemon/sdp.c \
	daemon/srtp_policy.c daemon/log.c daemon/config.c daemon/config_objects.c \
	daemon/config_routing.c daemon/config_default.c daemon/addr.c \
	libsrtp-glue/sdes.c libsrtp-glue/sdes_keys.c
fuzz: $(BUILD)/fuzz/fuzz_sip
$(BUILD)/fuzz/fuzz_sip: test/fuzz/fuzz_sip.c $(FUZZ_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined \
		-o $@ $^ -losipparser2 -lconfig -lssl -lcrypto

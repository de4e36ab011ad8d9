# srtprelayd: its libraries, the SIP test suite and the SIP/SDP fuzz target.
DAEMON_LIBS += -losip2 -losipparser2 -lconfig -lsystemd -lmicrohttpd -lcares

.PHONY: sipcheck
CHECK_EXTRA += sipcheck

# SIPp and baresip against the daemon (test/sip/run.sh prints each check).
# With the userspace datapath built, media flow is checked too (t_08_media).
sipcheck: $(BUILD)/srtprelayd $(BUILD)/srtprelay-datapath
	sh test/sip/run.sh $(BUILD)/srtprelayd

# libFuzzer over the SIP and SDP parsing entry points, with the conventions
# of test/fuzz/fuzz.mk (`make fuzz` runs every target).
FUZZ_SIP_SRCS := test/fuzz/fuzz_sip.c daemon/sip/sip_msg.c daemon/sip/sip_frame.c \
	daemon/sip/sip_peek.c \
	daemon/sip/sdp.c daemon/base/sbuf.c daemon/base/secret_mem.c \
	daemon/call/srtp_policy.c \
	daemon/base/log.c daemon/config/config.c daemon/config/config_parse.c \
	daemon/config/config_objects.c daemon/config/config_identity.c \
	daemon/config/config_routing.c daemon/config/config_default.c \
	daemon/config/config_limits.c daemon/config/config_auth.c daemon/sip/digest.c \
	daemon/config/config_metrics.c \
	daemon/config/config_dns.c \
	daemon/base/addr.c daemon/sip/sip_types.c libsrtp-glue/sdes.c \
	libsrtp-glue/sdes_format.c libsrtp-glue/sdes_keys.c

$(BUILD)/fuzz/fuzz_sip: $(FUZZ_SIP_SRCS) daemon/sip/sip_msg.h daemon/sip/sdp.h daemon/sip/sip_peek.h \
		daemon/call/srtp_policy.h daemon/daemon.mk
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(FUZZ_CFLAGS) \
		-o $@ $(FUZZ_SIP_SRCS) -losipparser2 -lconfig -lssl -lcrypto

.PHONY: fuzz-sip
fuzz: fuzz-sip

fuzz-sip: $(BUILD)/fuzz/fuzz_sip
	@mkdir -p $(BUILD)/fuzz/corpus/sip $(BUILD)/fuzz/artifacts/
	$(BUILD)/fuzz/fuzz_sip -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/sip- \
		$(BUILD)/fuzz/corpus/sip test/fuzz/corpus/sip

# test/unit/test_config_targets.c compiles daemon/config/config*.c in: libconfig.
$(BUILD)/test/test_config_targets $(BUILD)/test/test_config_auth: TEST_LIBS += -lconfig -losipparser2

# test/unit/test_digest.c reads challenges and answers through osip2.
$(BUILD)/test/test_digest: TEST_LIBS += -losipparser2
$(BUILD)/test/test_auth_client: TEST_LIBS += -losipparser2

# test/unit/test_dns_ttl.c compiles base/resolver.c in: c-ares.
$(BUILD)/test/test_dns_ttl: TEST_LIBS += -lcares

# test/unit/test_sip_options.c compiles daemon/sip/sip_msg.c in: osip2's parser.
$(BUILD)/test/test_sip_options: TEST_LIBS += -losipparser2

# test/unit/test_heap_trim.c measures glibc's malloc, which AddressSanitizer
# replaces: UBSan only.
$(BUILD)/test/test_heap_trim: SANITIZE := -fsanitize=undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

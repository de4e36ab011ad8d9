# TLS certificate lifecycle: srtprelayctl tls csr/import/show/verify and
# daemon/tls/tls_context.c against a throw-away CA, OpenSSL's CLI and Python's
# ssl module as the independent peers (test/tls/run.sh).
#
#   make tlscheck     build, then run test/tls/run.sh
#   make tlscalls     20 calls over TLS through srtprelayd with an imported
#                     chain, certificate reload under media (test/tls/calls.sh)
#
# srtprelayctl links only daemon/ctl/*.c, so its tls subcommands get
# daemon/tls/*.c (contexts, identities, OCSP) here, as does the unit test
# of it.
TLS_CONTEXT_SRCS := $(sort $(wildcard daemon/tls/*.c))

$(BUILD)/srtprelayctl: $(call obj,$(TLS_CONTEXT_SRCS))
$(BUILD)/test/test_tls_context: $(call asan_obj,$(TLS_CONTEXT_SRCS))

$(BUILD)/tls/tls_server: $(call obj,test/tls/tls_server.c $(TLS_CONTEXT_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

.PHONY: tlscheck
tlscheck: $(BUILD)/srtprelayctl $(BUILD)/tls/tls_server
	BUILD=$(BUILD) sh test/tls/run.sh

CHECK_EXTRA += tlscheck

# srtp_peer (test/kernel/kernel.mk) is the SRTP media endpoint of the calls.
.PHONY: tlscalls
tlscalls: $(BUILD)/srtprelayd $(BUILD)/srtprelayctl $(BUILD)/srtprelay-datapath \
		$(BUILD)/kernel/srtp_peer
	BUILD=$(BUILD) sh test/tls/calls.sh

CHECK_EXTRA += tlscalls

# libFuzzer target of certificate parsing and RFC 5922 matching (make fuzz;
# see test/fuzz/fuzz.mk for the conventions).
FUZZ_TLS_SRCS := test/tls/fuzz_tls_certs.c $(TLS_CONTEXT_SRCS)

$(BUILD)/fuzz/fuzz_tls_certs: $(FUZZ_TLS_SRCS) daemon/tls/tls_context.h \
		daemon/tls/tls_internal.h test/tls/tls.mk
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS) -std=gnu11 $(WARNINGS) $(FUZZ_CFLAGS) \
		-o $@ $(FUZZ_TLS_SRCS) -lssl -lcrypto

.PHONY: fuzz-tls-certs
fuzz: fuzz-tls-certs

fuzz-tls-certs: $(BUILD)/fuzz/fuzz_tls_certs
	@mkdir -p $(BUILD)/fuzz/corpus/tls_certs $(BUILD)/fuzz/artifacts/
	$(BUILD)/fuzz/fuzz_tls_certs -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/artifacts/tls_certs- \
		$(BUILD)/fuzz/corpus/tls_certs test/tls/corpus

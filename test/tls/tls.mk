# TLS certificate lifecycle: srtprelayctl tls csr/import/show/verify and
# daemon/tls_context.c against a throw-away CA, OpenSSL's CLI and Python's
# ssl module as the independent peers (test/tls/run.sh).
#
#   make tlscheck     build, then run test/tls/run.sh
#
# srtprelayctl links only daemon/ctl/*.c, so its tls subcommands get
# daemon/tls_context.c here, as does the unit test of it.

$(BUILD)/srtprelayctl: $(call obj,daemon/tls_context.c)
$(BUILD)/test/test_tls_context: $(call asan_obj,daemon/tls_context.c)

$(BUILD)/tls/tls_server: $(call obj,test/tls/tls_server.c daemon/tls_context.c)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

.PHONY: tlscheck
tlscheck: $(BUILD)/srtprelayctl $(BUILD)/tls/tls_server
	BUILD=$(BUILD) sh test/tls/run.sh

CHECK_EXTRA += tlscheck

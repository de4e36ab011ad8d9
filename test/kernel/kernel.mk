# Kernel tests: srtprelay.ko in a QEMU guest running Debian's kernel, driven
# through network namespaces by srtprelayctl and the libsrtp2 endpoint
# srtp_peer. See test/kernel/README.md.
#
#   make kcheck        userspace + module + initramfs + VM run (part of check)
#   make ktools        only the test programs
#   make kboot         initramfs + VM run, without rebuilding anything else
#                      (KTEST=word,word runs only the checks matching a word)

KTEST_DIR := test/kernel
KTEST_TOOLS := $(BUILD)/kernel/srtp_peer $(BUILD)/kernel/srtp_calls $(BUILD)/kernel/nl_hold $(if $(wildcard $(KTEST_DIR)/nl_raw.c),$(BUILD)/kernel/nl_raw)
KTEST_INITRD := $(BUILD)/kernel/initramfs.cpio.gz

SRTP_PEER_SRCS := $(addprefix $(KTEST_DIR)/,srtp_peer.c srtp_peer_common.c \
	srtp_peer_send.c srtp_peer_recv.c)

# The glue library for its suite names and libsrtp2 policies.
$(BUILD)/kernel/srtp_peer: $(SRTP_PEER_SRCS) $(KTEST_DIR)/srtp_peer.h $(GLUE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $(SRTP_PEER_SRCS) $(GLUE_LIB) -lsrtp2 -lmnl -lcrypto

# Many calls' SRTP media at once, each with its keys (crash tests).
$(BUILD)/kernel/srtp_calls: $(KTEST_DIR)/srtp_calls.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lsrtp2 -lcrypto

# A relay_nl handle held across a module reload (reload.sh).
$(BUILD)/kernel/nl_hold: $(KTEST_DIR)/nl_hold.c $(GLUE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(GLUE_LIB) -lmnl -lsrtp2 -lcrypto

$(BUILD)/kernel/nl_raw: $(KTEST_DIR)/nl_raw.c include/uapi/linux/srtprelay.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lmnl -lcrypto

.PHONY: kcheck ktools kboot
ktools: $(KTEST_TOOLS)

kboot: ktools kver-check
	BUILD=$(BUILD) sh $(KTEST_DIR)/build-initramfs.sh $(KTEST_INITRD)
	BUILD=$(BUILD) KTEST=$(KTEST) sh $(KTEST_DIR)/run-vm.sh $(KTEST_INITRD)

kcheck:
	$(MAKE) all
	$(MAKE) kmod
	$(MAKE) kboot

CHECK_EXTRA += kcheck

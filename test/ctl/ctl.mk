# srtprelayctl against the real module in the test VM (test/ctl/vm-smoke.sh):
#
#   make ctl-vm      userspace + module + VM boot running the smoke script
#
# Part of make check, after the kernel tests (kcheck) that build the same
# module and tools.

.PHONY: ctl-vm
ctl-vm:
	$(MAKE) all
	$(MAKE) kmod
	$(MAKE) ktools kver-check
	BUILD=$(BUILD) sh test/ctl/run-vm.sh

CHECK_EXTRA += ctl-vm

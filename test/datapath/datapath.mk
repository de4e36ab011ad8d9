# make dpcheck: the kernel test bed's scenarios against the userspace
# datapath on this host (one test, two backends).
.PHONY: dpcheck
dpcheck: all ktools
	sh test/datapath/run.sh
CHECK_EXTRA += dpcheck

# make servicecheck: srtprelayd and srtprelay-datapath as their systemd
# units run them: sd_notify READY/WATCHDOG/STOPPING against a socket of
# the test's own, the units' capabilities as an unprivileged user, and
# systemd-analyze verify on the installed units.
.PHONY: servicecheck
CHECK_EXTRA += servicecheck

servicecheck: $(BUILD)/srtprelayd $(BUILD)/srtprelay-datapath
	sh test/service/run.sh

# make servicecheck: srtprelayd and srtprelay-datapath as their systemd
# units run them: sd_notify READY/WATCHDOG/STOPPING against a socket of
# the test's own, the units' capabilities as an unprivileged user, and
# systemd-analyze verify on the installed units.
.PHONY: servicecheck
CHECK_EXTRA += servicecheck

# Its own network and mount namespace (ports 5060/5061, iptables rules,
# /run/srtprelay, /tmp), so a srtprelay running on this host is not touched.
servicecheck: $(BUILD)/srtprelayd $(BUILD)/srtprelay-datapath
	sh scripts/isolated.sh sh test/service/run.sh

# make replanecheck: the userspace datapath SIGKILLed and restarted under
# calls (issue 16, item 2); its own namespaces like servicecheck.
.PHONY: replanecheck
CHECK_EXTRA += replanecheck
replanecheck: $(BUILD)/srtprelayd $(BUILD)/srtprelay-datapath $(BUILD)/srtprelayctl \
		$(BUILD)/kernel/srtp_peer
	sh scripts/isolated.sh sh test/service/replane.sh

# make metricscheck: the Prometheus endpoint during SDES calls with media
# (issue 16, item 4): promtool check metrics, counters against what was
# sent, and slow clients; its own namespaces like servicecheck.
.PHONY: metricscheck
CHECK_EXTRA += metricscheck
metricscheck: $(BUILD)/srtprelayd $(BUILD)/srtprelay-datapath $(BUILD)/srtprelayctl \
		$(BUILD)/kernel/srtp_peer
	sh scripts/isolated.sh sh test/service/metrics.sh

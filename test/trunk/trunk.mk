# Real-trunk suite (issue 17): DNS (a real dnsmasq), Kamailio as the trunk
# over mutual TLS, digest, NAT, session timers, forking, in network
# namespaces of the test's own. Each test/trunk/t_*.sh runs as its own
# process (test/run_files.sh adds up their "N passed, N failed" lines).
#
#   make trunkcheck                 every trunk test
#   make trunkcheck TRUNKS=t_01     only the files matching a prefix

.PHONY: trunkcheck
trunkcheck: all
	sh test/run_files.sh test/trunk trunkcheck $(TRUNKS)

# Joins make check with its first test (an empty suite fails).
CHECK_EXTRA += trunkcheck

# 200 concurrent SDES calls through srtprelayd and the userspace datapath
# (concurrent.sh, in a network namespace of its own like media.sh): all
# connected at once, all torn down, no call, port pair or stream left.
begin "load: 200 concurrent SRTP calls through the userspace datapath"
in_netns concurrent concurrent.sh 150 "concurrent-calls test" '^    (peak|[0-9]+ calls)'

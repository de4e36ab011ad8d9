# Symmetric RTP (media_source = "latch"): a phone whose media comes from
# another port than its SDP says (as behind NAT) must hear the other side
# at that port once it has sent; with lock-on-sdp its packets are dropped.
# latch.sh, in a network namespace of its own with the userspace datapath
# (its latch events to srtprelayd), as media.sh is.
begin "latch: symmetric RTP to a phone behind NAT, through the userspace datapath"
in_netns latch latch.sh 90 "latch test"

# Media flow, now that a datapath exists: the userspace one
# (build/srtprelay-datapath), in a network namespace of its own so its
# ports (or, with --mode nfqueue, its steering rules) touch nothing else. Needs unshare -n (root).
begin "media: baresip SRTP <-> srtprelayd + userspace datapath <-> baresip RTP"
in_netns media media.sh 60 "media test"

# The same call with SRTP on both legs (media_srtp.sh, its own state_dir
# and folders): keys per leg, shown by the streams' key-ids and counters.
begin "media: baresip SRTP <-> srtprelayd + userspace datapath <-> baresip SRTP"
in_netns media media_srtp.sh 60 "media (SRTP both legs) test"

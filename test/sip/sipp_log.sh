# Reading what a SIPp peer received, from its message log $T/NAME.msg
# (SIPp -trace_msg -message_file): for test/sip's checks and test/trunk's.
# Sourced, not run; expects T from the caller.

# rx NAME ERE: the messages SIPp NAME received whose first line matches ERE.
rx() {
	awk -v want="$2" '
		/^-----------------------------------------------/ {
			if (keep) printf "%s", block; block = ""; keep = 0; inrx = 0; first = ""; next }
		/message received/ { inrx = 1; next }
		{ if (inrx && first == "" && $0 != "") { first = $0; keep = (first ~ want) }
		  block = block $0 "\n" }
		END { if (keep) printf "%s", block }' "$T/$1.msg"
}

# rx_has NAME ERE1 ERE2: does a message NAME received whose first line
# matches ERE1 have a line matching ERE2?
rx_has() {
	rx "$1" "$2" | grep -Eq -- "$3"
}

# rx_lacks NAME ERE1 ERE2: NAME received a message whose first line matches
# ERE1, and none of those has a line matching ERE2.
rx_lacks() {
	rx "$1" "$2" | grep -Eq -- "$3" && return 1
	rx "$1" "$2" | grep -q . || return 1	# and there was such a message
	return 0
}

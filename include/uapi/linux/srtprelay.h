/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * srtprelay: an SRTP media relay in the kernel, controlled over generic netlink.
 *
 * This header is the whole contract between srtprelay.ko and its users
 * (srtprelayd, srtprelayctl, or a control client of your own). Everything a
 * client may send or will receive is documented here, beside its definition.
 *
 * Documentation
 * =============
 *
 * The generic netlink family is SRTPRELAY_GENL_NAME ("srtprelay"), version
 * SRTPRELAY_GENL_VERSION. The family is per network namespace: objects created
 * in one namespace are invisible from every other, and are freed when their
 * namespace goes away. Every command that changes state requires
 * CAP_NET_ADMIN in the namespace's user namespace (GENL_UNS_ADMIN_PERM); reading
 * (REALM_GET, STREAM_GET, STATS_GET) is open to any user, and key material is
 * never returned by any command. Joining the events group needs CAP_NET_ADMIN
 * as well (GENL_MCAST_CAP_NET_ADMIN). Since any user may own a user and
 * network namespace, each namespace holds at most max_realms realms and
 * max_streams streams, the namespaces of user namespaces other than the
 * initial one at most max_userns_streams streams together (module
 * parameters, default 256, 65536 and 4096; writable by root in
 * /sys/module/srtprelay/parameters), and what they allocate is charged to
 * the memory cgroup of the process that added them (but for the crypto
 * API's own transforms). The userspace
 * datapath (srtprelay-datapath) lets only root, its own user and the group
 * given with -g connect, and caps streams with -m.
 *
 * Rejected requests return a negative errno and, in the extended ACK, a text
 * saying which attribute was wrong and why, with the offending attribute
 * marked (NLMSGERR_ATTR_OFFS). Nothing is installed by a rejected request.
 *
 * Addresses are carried as a struct sockaddr_in or struct sockaddr_in6 in an
 * NLA_BINARY attribute (as WireGuard's WGPEER_A_ENDPOINT); the family is taken
 * from sa_family and the length must match it exactly.
 *
 * Objects
 * -------
 *
 * A *media realm* is a local address and a range of UDP ports. The module
 * only ever touches UDP packets whose destination address and port fall
 * inside a realm; everything else passes untouched. Realms of one namespace
 * may not overlap.
 *
 * A *stream* is one direction of one media leg: packets arriving at a realm
 * address and port (SRTPRELAY_A_STREAM_LOCAL) are authenticated and decrypted
 * with the input crypto, encrypted with the output crypto and sent from
 * SRTPRELAY_A_STREAM_OUT_SRC to SRTPRELAY_A_STREAM_OUT_DST. A stream is named
 * by its local address and port; that pair is unique in a namespace. The
 * stream also owns the RTCP of the same media: on local port + 1 and sent to
 * the destination port + 1 (or SRTPRELAY_A_STREAM_OUT_RTCP_DST), or on the same
 * ports when the RTCP_MUX flags say so (RFC 5761: RTCP is told from RTP by its
 * packet type, 192..223 in the second byte).
 *
 * Crypto state is kept per SSRC (up to SRTPRELAY_MAX_SSRC_PER_STREAM): a
 * sender that changes SSRC starts a fresh rollover counter and replay window
 * under the same master key (RFC 3711 section 3.2.3) and one that returns to
 * an SSRC still in the table resumes where it was. On receipt the least
 * recently used SSRC makes room for a new one that authenticates. On send,
 * nothing makes room: a forgotten SSRC would start over at an index already
 * sent, reusing keystream, so while the out key stays the same each SSRC's
 * state is kept, and an SSRC beyond the table is not sent
 * (SRTPRELAY_STAT_TX_REFUSED). Nor is an SRTP index sent twice per SSRC: a
 * window of sent indices (REPLAY_WINDOW of the out crypto) lets a late packet
 * through once and refuses a repeat or anything behind the window.
 *
 * Commands
 * --------
 *
 * SRTPRELAY_CMD_REALM_ADD (admin)
 *   Adds a realm. Attributes:
 *     SRTPRELAY_A_REALM_ID        u32, required, non-zero, unique in the netns
 *     SRTPRELAY_A_REALM_ADDR      sockaddr, required; port field ignored
 *     SRTPRELAY_A_REALM_PORT_MIN  u16, required, >= 1
 *     SRTPRELAY_A_REALM_PORT_MAX  u16, required, >= PORT_MIN
 *     SRTPRELAY_A_REALM_NFQUEUE   u16, optional: packets to this realm that
 *                                 the module does not own (no stream, STUN,
 *                                 DTLS, fragments, malformed RTP) are queued
 *                                 to this NFQUEUE number for userspace instead
 *                                 of being passed up the stack untouched.
 *   Errors: EEXIST (same id), EADDRINUSE (overlaps another realm), EINVAL,
 *   ENOSPC (the namespace has max_realms realms).
 *
 * SRTPRELAY_CMD_REALM_DEL (admin)
 *   SRTPRELAY_A_REALM_ID required. Fails with EBUSY while streams use it.
 *
 * SRTPRELAY_CMD_REALM_GET
 *   Dump only: one message per realm with the REALM_* attributes above.
 *
 * SRTPRELAY_CMD_STREAM_ADD (admin)
 *   Adds a stream. Attributes:
 *     SRTPRELAY_A_STREAM_LOCAL     sockaddr, required: realm address and port
 *                                  the packets arrive on (the RTP port; the
 *                                  RTCP port is port + 1 unless RTCP_MUX_IN).
 *                                  Must lie inside a realm, and port + 1 too
 *                                  (same realm) unless RTCP_MUX_IN.
 *     SRTPRELAY_A_STREAM_REMOTE    sockaddr, optional: the source the
 *                                  signalling announced. With LOCK_ON_SDP only
 *                                  this source is accepted. With the LATCH
 *                                  flag the stream learns its source (see
 *                                  Sources below), REMOTE ranking the
 *                                  candidates. With neither flag any source
 *                                  is accepted and nothing latches.
 *     SRTPRELAY_A_STREAM_LATCH_WINDOW_MS u32, optional, at most
 *                                  SRTPRELAY_LATCH_WINDOW_MAX_MS: opens the
 *                                  learning window for this long from now
 *                                  (default SRTPRELAY_LATCH_WINDOW_DEFAULT_MS
 *                                  on STREAM_ADD; 0 closes it).
 *     SRTPRELAY_A_STREAM_OUT_SRC   sockaddr, required: source of sent RTP
 *                                  (a local address; usually the other leg's
 *                                  realm port). RTCP is sent from port + 1,
 *                                  or from this port with RTCP_MUX_OUT.
 *     SRTPRELAY_A_STREAM_OUT_DST   sockaddr, required: where RTP is sent. Same
 *                                  family as OUT_SRC.
 *     SRTPRELAY_A_STREAM_OUT_RTCP_DST sockaddr, optional: where RTCP is sent;
 *                                  default OUT_DST with port + 1, or OUT_DST
 *                                  itself with RTCP_MUX_OUT.
 *     SRTPRELAY_A_STREAM_FLAGS     u32, optional, SRTPRELAY_STREAM_F_* below
 *     SRTPRELAY_A_STREAM_COOKIE    u64, optional: the controller's handle
 *                                  (call/leg id); echoed in dumps and events,
 *                                  and STREAM_FLUSH may select by it.
 *     SRTPRELAY_A_STREAM_IN_CRYPTO nested SRTPRELAY_A_CRYPTO_*, required
 *     SRTPRELAY_A_STREAM_OUT_CRYPTO nested SRTPRELAY_A_CRYPTO_*, required
 *   Errors: EEXIST (the port, or without RTCP_MUX_IN port + 1, is already
 *   an RTP or RTCP port of another stream), EADDRNOTAVAIL (outside every
 *   realm), EINVAL (with the attribute named in the extended ACK), ENOSPC
 *   (max_streams or max_userns_streams reached; the extended ACK says which).
 *
 * SRTPRELAY_CMD_STREAM_SET (admin)
 *   Updates an existing stream named by SRTPRELAY_A_STREAM_LOCAL. Any of
 *   REMOTE, OUT_SRC, OUT_DST, OUT_RTCP_DST, FLAGS, COOKIE, IN_CRYPTO,
 *   OUT_CRYPTO and LATCH_WINDOW_MS may be given; what is not given is kept
 *   (a controller moving only a destination sends no crypto, and no key is
 *   derived again). LATCH_WINDOW_MS re-opens the learning window (after a
 *   re-offer); a new REMOTE or a change of the LATCH or LOCK_ON_SDP flag
 *   forgets the latched source. FLAGS, when given,
 *   replaces the whole flag word (read, change, write to flip one bit). A
 *   crypto nest replaces that direction's crypto entirely: fields it omits
 *   (ROC, SEQ, REPLAY_WINDOW, FLAGS) take their defaults, so an update
 *   resends the key. Crypto given with the same suite, key, salt and MKI as
 *   before keeps its rollover counters, replay windows and SRTCP indices; a
 *   new key (rekey) starts fresh state for that direction only. An
 *   OUT_RTCP_DST never given follows OUT_DST (port + 1, or the same port with
 *   RTCP_MUX_OUT); once given it is kept. The update is atomic: a packet
 *   sees either the old or the new stream, never a mixture. Errors: ENOENT,
 *   EINVAL.
 *
 * SRTPRELAY_CMD_STREAM_DEL (admin)
 *   SRTPRELAY_A_STREAM_LOCAL required. Errors: ENOENT.
 *
 * SRTPRELAY_CMD_STREAM_GET
 *   With SRTPRELAY_A_STREAM_LOCAL: that stream (ENOENT if none). With
 *   NLM_F_DUMP: every stream, resumable across messages. Each reply carries
 *   LOCAL, REMOTE (if any), LATCHED (the latched source, if any),
 *   LATCH_WINDOW_MS (what is left of the learning window, 0: closed), OUT_SRC,
 *   OUT_DST, OUT_RTCP_DST, FLAGS, COOKIE, IN_CRYPTO and OUT_CRYPTO (suite,
 *   MKI length, replay window and flags only: never key, salt or MKI value)
 *   and SRTPRELAY_A_STREAM_STATS.
 *
 * SRTPRELAY_CMD_STREAM_FLUSH (admin)
 *   Deletes every stream of the netns, or only those whose cookie equals
 *   SRTPRELAY_A_STREAM_COOKIE when it is given (a stream added without a
 *   cookie has cookie 0). Realms stay.
 *
 * SRTPRELAY_CMD_STATS_GET
 *   Global counters of the netns: one reply carrying SRTPRELAY_A_STATS
 *   (nested, SRTPRELAY_STAT_* + 1 as attribute types, u64 each) and
 *   SRTPRELAY_A_STREAM_COUNT (u32) and SRTPRELAY_A_REALM_COUNT (u32).
 *
 * SRTPRELAY_CMD_EVENT
 *   Sent by the module only, to the SRTPRELAY_MCGRP_EVENTS multicast group.
 *   Carries SRTPRELAY_A_EVENT_TYPE (u32, enum srtprelay_event),
 *   SRTPRELAY_A_STREAM_LOCAL, SRTPRELAY_A_STREAM_COOKIE and, by type,
 *   SRTPRELAY_A_EVENT_REMOTE (sockaddr) or SRTPRELAY_A_EVENT_SSRC (u32).
 *
 * Sources
 * -------
 *
 * Symmetric RTP (RFC 4961) sends media to where the peer's media comes
 * from, which behind NAT is not what its SDP says; but a stream that
 * followed every new source would hand the other party's audio to anyone
 * who sends one packet to a guessed port ("RTP Bleed"). So a stream with
 * the LATCH flag learns its RTP source only while its learning window is
 * open (LATCH_WINDOW_MS, from STREAM_ADD and from each STREAM_SET that
 * gives it), and the best source seen wins: REMOTE's exact
 * address, else REMOTE's IP with another port, else any other. A packet
 * from a source no better than the latched one is dropped. Once the window
 * closed, RTP is accepted from the latched source only; if nothing latched
 * in the window, the first packet from REMOTE's IP latches, and nothing
 * else. RTCP never latches: it is accepted from the latched source's IP
 * (before a latch: from REMOTE's IP, or from anyone while the window is
 * open). With SRTP a source latches only once its packet authenticated. A
 * refused packet is dropped before any crypto, counted as
 * SRTPRELAY_STAT_SOURCE_REJECTED and reported (SRTPRELAY_EVENT_SOURCE_REJECTED,
 * at most once a second per stream); each latch is counted
 * (SRTPRELAY_STAT_LATCHES) and reported (REMOTE_LATCHED, REMOTE_CHANGED).
 *
 * Counters
 * --------
 *
 * Per-stream and global counters are per-CPU in the module and summed when
 * read. A nested SRTPRELAY_A_STATS carries one u64 attribute per counter,
 * of type SRTPRELAY_STAT_x + 1, and SRTPRELAY_A_STATS_LAST_RX_AGE_MS (u64,
 * milliseconds since the last packet that authenticated; absent if none),
 * which lets the controller time out dead media. Type 0 inside the nest is
 * alignment padding (only on architectures that need it): skip it.
 */

#ifndef _UAPI_LINUX_SRTPRELAY_H
#define _UAPI_LINUX_SRTPRELAY_H

#define SRTPRELAY_GENL_NAME "srtprelay"
#define SRTPRELAY_GENL_VERSION 1
#define SRTPRELAY_MCGRP_EVENTS "events"

/* Limits the module enforces on what it is given. */
/* Master key and salt lengths depend on the suite (enum srtprelay_suite). */
#define SRTPRELAY_MASTER_KEY_LEN_128 16	/* AES-128 suites, bytes */
#define SRTPRELAY_MASTER_KEY_LEN_256 32	/* AES-256 suites, bytes */
#define SRTPRELAY_MASTER_KEY_MAX_LEN SRTPRELAY_MASTER_KEY_LEN_256
#define SRTPRELAY_MASTER_SALT_LEN_CM 14	/* AES-CM suites: 112 bits */
#define SRTPRELAY_MASTER_SALT_LEN_GCM 12	/* AEAD_AES_*_GCM: 96 bits */
#define SRTPRELAY_MASTER_SALT_MAX_LEN SRTPRELAY_MASTER_SALT_LEN_CM
#define SRTPRELAY_MKI_MAX_LEN 4		/* MKI length 0..4 bytes */
#define SRTPRELAY_REPLAY_WINDOW_MIN 64	/* packets */
#define SRTPRELAY_REPLAY_WINDOW_MAX 1024
#define SRTPRELAY_REPLAY_WINDOW_DEFAULT 128
#define SRTPRELAY_MAX_SSRC_PER_STREAM 4
#define SRTPRELAY_LATCH_WINDOW_DEFAULT_MS 3000	/* learning window */
#define SRTPRELAY_LATCH_WINDOW_MAX_MS 600000

enum srtprelay_cmd {
	SRTPRELAY_CMD_UNSPEC,
	SRTPRELAY_CMD_REALM_ADD,
	SRTPRELAY_CMD_REALM_DEL,
	SRTPRELAY_CMD_REALM_GET,
	SRTPRELAY_CMD_STREAM_ADD,
	SRTPRELAY_CMD_STREAM_SET,
	SRTPRELAY_CMD_STREAM_DEL,
	SRTPRELAY_CMD_STREAM_GET,
	SRTPRELAY_CMD_STREAM_FLUSH,
	SRTPRELAY_CMD_STATS_GET,
	SRTPRELAY_CMD_EVENT,
	__SRTPRELAY_CMD_MAX
};
#define SRTPRELAY_CMD_MAX (__SRTPRELAY_CMD_MAX - 1)

/* Top-level attributes. Which command takes which is told above. */
enum srtprelay_attr {
	SRTPRELAY_A_UNSPEC,
	SRTPRELAY_A_PAD,		/* alignment padding for u64, ignore */
	SRTPRELAY_A_REALM_ID,		/* u32, non-zero */
	SRTPRELAY_A_REALM_ADDR,		/* sockaddr_in / sockaddr_in6 */
	SRTPRELAY_A_REALM_PORT_MIN,	/* u16 */
	SRTPRELAY_A_REALM_PORT_MAX,	/* u16 */
	SRTPRELAY_A_REALM_NFQUEUE,	/* u16 */
	SRTPRELAY_A_STREAM_LOCAL,	/* sockaddr: the key of a stream */
	SRTPRELAY_A_STREAM_REMOTE,	/* sockaddr: signalled source */
	SRTPRELAY_A_STREAM_LATCHED,	/* sockaddr: read-only, latched source */
	SRTPRELAY_A_STREAM_OUT_SRC,	/* sockaddr */
	SRTPRELAY_A_STREAM_OUT_DST,	/* sockaddr */
	SRTPRELAY_A_STREAM_OUT_RTCP_DST, /* sockaddr */
	SRTPRELAY_A_STREAM_FLAGS,	/* u32, SRTPRELAY_STREAM_F_* */
	SRTPRELAY_A_STREAM_COOKIE,	/* u64 */
	SRTPRELAY_A_STREAM_IN_CRYPTO,	/* nested, SRTPRELAY_A_CRYPTO_* */
	SRTPRELAY_A_STREAM_OUT_CRYPTO,	/* nested, SRTPRELAY_A_CRYPTO_* */
	SRTPRELAY_A_STREAM_STATS,	/* nested, read-only, see Counters */
	SRTPRELAY_A_STATS,		/* nested, read-only, global counters */
	SRTPRELAY_A_STREAM_COUNT,	/* u32, read-only */
	SRTPRELAY_A_REALM_COUNT,	/* u32, read-only */
	SRTPRELAY_A_EVENT_TYPE,		/* u32, enum srtprelay_event */
	SRTPRELAY_A_EVENT_REMOTE,	/* sockaddr */
	SRTPRELAY_A_EVENT_SSRC,		/* u32 */
	SRTPRELAY_A_STREAM_LATCH_WINDOW_MS, /* u32, see Sources */
	__SRTPRELAY_A_MAX
};
#define SRTPRELAY_A_MAX (__SRTPRELAY_A_MAX - 1)

/*
 * enum srtprelay_stream_flags - SRTPRELAY_A_STREAM_FLAGS bits.
 * @SRTPRELAY_STREAM_F_LATCH: symmetric RTP: the stream learns its source
 *	in the learning window even when SRTPRELAY_A_STREAM_REMOTE is given
 *	(the signalled address is a hint, as behind NAT); see Sources.
 * @SRTPRELAY_STREAM_F_LOCK_ON_SDP: accept packets only from
 *	SRTPRELAY_A_STREAM_REMOTE (which is then required); others are dropped
 *	and counted as SRTPRELAY_STAT_SOURCE_REJECTED. Excludes LATCH.
 * @SRTPRELAY_STREAM_F_RTCP_MUX_IN: RTCP arrives on the RTP port (RFC 5761).
 * @SRTPRELAY_STREAM_F_RTCP_MUX_OUT: RTCP is sent to the RTP destination.
 * @SRTPRELAY_STREAM_F_HOLD: media on hold: packets are authenticated (so
 *	the crypto state stays right) but not forwarded; counted as
 *	SRTPRELAY_STAT_HELD.
 * @SRTPRELAY_STREAM_F_PUNT_RTCP: do not touch RTCP of this stream; pass it
 *	on like a packet of no stream (to the realm's NFQUEUE if any).
 * @SRTPRELAY_STREAM_F_PASS_THROUGH: both legs share one key: packets are
 *	authenticated, MKI- and replay-checked with the input crypto and sent
 *	on unchanged, neither decrypted nor encrypted again (one HMAC per
 *	packet). The input and output crypto must then be the same AES-CM
 *	suite, key, salt, MKI and session parameters, the same ROC and SEQ
 *	(the output's peer reads each index as the sender gave it), without
 *	UNAUTHENTICATED_SRTP (GCM cannot check a tag without decrypting), else
 *	ADD or SET is refused; the output crypto's state is not used.
 */
enum srtprelay_stream_flags {
	SRTPRELAY_STREAM_F_LATCH = 1U << 0,
	SRTPRELAY_STREAM_F_LOCK_ON_SDP = 1U << 1,
	SRTPRELAY_STREAM_F_RTCP_MUX_IN = 1U << 2,
	SRTPRELAY_STREAM_F_RTCP_MUX_OUT = 1U << 3,
	SRTPRELAY_STREAM_F_HOLD = 1U << 4,
	SRTPRELAY_STREAM_F_PUNT_RTCP = 1U << 5,
	SRTPRELAY_STREAM_F_PASS_THROUGH = 1U << 6,
	__SRTPRELAY_STREAM_F_ALL = (1U << 7) - 1
};

/*
 * Attributes nested in SRTPRELAY_A_STREAM_IN_CRYPTO / _OUT_CRYPTO: the
 * crypto of one side of a stream. With SRTPRELAY_SUITE_NONE (plain RTP) no
 * other attribute is allowed.
 *
 * SRTPRELAY_A_CRYPTO_SUITE        u32, enum srtprelay_suite, required
 * SRTPRELAY_A_CRYPTO_MASTER_KEY   binary, exactly the suite's key length
 *                                 (SRTPRELAY_MASTER_KEY_LEN_128 or _256),
 *                                 required for SRTP suites; write-only
 * SRTPRELAY_A_CRYPTO_MASTER_SALT  binary, exactly the suite's salt length
 *                                 (SRTPRELAY_MASTER_SALT_LEN_CM for AES-CM,
 *                                 SRTPRELAY_MASTER_SALT_LEN_GCM for AEAD),
 *                                 required for SRTP suites; write-only
 * SRTPRELAY_A_CRYPTO_MKI          binary, 1..SRTPRELAY_MKI_MAX_LEN bytes: the
 *                                 MKI value carried in every packet (RFC 4568
 *                                 "|1:1" means value 1 in 1 byte); absent = no
 *                                 MKI. Write-only (dumps give MKI_LEN).
 * SRTPRELAY_A_CRYPTO_MKI_LEN      u8, read-only
 * SRTPRELAY_A_CRYPTO_ROC          u32, optional: rollover counter of the
 *                                 first packet of each SSRC (default 0)
 * SRTPRELAY_A_CRYPTO_SEQ          u16, optional: sequence number the sender
 *                                 is known to be at, so that the first packet
 *                                 is placed relative to it (default: the first
 *                                 packet's own number)
 * SRTPRELAY_A_CRYPTO_REPLAY_WINDOW u16, SRTPRELAY_REPLAY_WINDOW_MIN..MAX,
 *                                 default SRTPRELAY_REPLAY_WINDOW_DEFAULT
 * SRTPRELAY_A_CRYPTO_FLAGS        u32, SRTPRELAY_CRYPTO_F_* (RFC 4568
 *                                 session parameters)
 */
enum srtprelay_crypto_attr {
	SRTPRELAY_A_CRYPTO_UNSPEC,
	SRTPRELAY_A_CRYPTO_SUITE,
	SRTPRELAY_A_CRYPTO_MASTER_KEY,
	SRTPRELAY_A_CRYPTO_MASTER_SALT,
	SRTPRELAY_A_CRYPTO_MKI,
	SRTPRELAY_A_CRYPTO_MKI_LEN,
	SRTPRELAY_A_CRYPTO_ROC,
	SRTPRELAY_A_CRYPTO_SEQ,
	SRTPRELAY_A_CRYPTO_REPLAY_WINDOW,
	SRTPRELAY_A_CRYPTO_FLAGS,
	__SRTPRELAY_A_CRYPTO_MAX
};
#define SRTPRELAY_A_CRYPTO_MAX (__SRTPRELAY_A_CRYPTO_MAX - 1)

/*
 * enum srtprelay_suite - SRTP crypto suites (RFC 4568 section 6.2).
 * @SRTPRELAY_SUITE_NONE: plain RTP and RTCP, no crypto.
 * @SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80: AES-128 counter mode, 80-bit
 *	HMAC-SHA1 tag on SRTP and SRTCP.
 * @SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32: as above with a 32-bit tag on
 *	SRTP; SRTCP keeps the 80-bit tag (RFC 4568 section 6.2.2).
 * @SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80: AES-256 counter mode (RFC 6188:
 *	32-byte master key, AES-256-CM key derivation), 80-bit HMAC-SHA1 tags.
 * @SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32: as above, 32-bit SRTP tag.
 * @SRTPRELAY_SUITE_AEAD_AES_128_GCM: AES-128-GCM (RFC 7714): 16-byte tag on
 *	SRTP and SRTCP, 12-byte master salt, the RTP header (SRTCP: header and
 *	E flag with index) authenticated as associated data. The flags
 *	UNENCRYPTED_SRTP and UNAUTHENTICATED_SRTP are refused with AEAD suites;
 *	UNENCRYPTED_SRTCP sends SRTCP with E = 0, the whole packet then
 *	authenticated as associated data (RFC 7714 section 9.3).
 * @SRTPRELAY_SUITE_AEAD_AES_256_GCM: as above with AES-256 (32-byte key).
 */
enum srtprelay_suite {
	SRTPRELAY_SUITE_NONE,
	SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80,
	SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32,
	SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80,
	SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32,
	SRTPRELAY_SUITE_AEAD_AES_128_GCM,
	SRTPRELAY_SUITE_AEAD_AES_256_GCM,
	__SRTPRELAY_SUITE_MAX
};
#define SRTPRELAY_SUITE_MAX (__SRTPRELAY_SUITE_MAX - 1)

/*
 * enum srtprelay_crypto_flags - RFC 4568 section 6.3 session parameters.
 * @SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP: SRTP payload is not encrypted.
 * @SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP: SRTCP is not encrypted (E flag 0).
 * @SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP: SRTP carries no tag.
 */
enum srtprelay_crypto_flags {
	SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP = 1U << 0,
	SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP = 1U << 1,
	SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP = 1U << 2,
	__SRTPRELAY_CRYPTO_F_ALL = (1U << 3) - 1
};

/*
 * enum srtprelay_stat - counters, per stream and global. In a nested
 * SRTPRELAY_A_STATS / SRTPRELAY_A_STREAM_STATS the attribute type is the
 * counter + 1, the value a u64.
 * @SRTPRELAY_STAT_RX_PACKETS: packets that authenticated (or plain packets
 *	accepted) on the stream's ports, RTP and RTCP.
 * @SRTPRELAY_STAT_RX_BYTES: their UDP payload bytes, as received.
 * @SRTPRELAY_STAT_TX_PACKETS: packets sent on.
 * @SRTPRELAY_STAT_TX_BYTES: their UDP payload bytes, as sent.
 * @SRTPRELAY_STAT_RTCP_RX_PACKETS: of RX_PACKETS, those that were RTCP.
 * @SRTPRELAY_STAT_RTCP_TX_PACKETS: of TX_PACKETS, those that were RTCP.
 * @SRTPRELAY_STAT_AUTH_FAILED: dropped: tag did not verify (tampered packet
 *	or wrong key).
 * @SRTPRELAY_STAT_REPLAYED: dropped: index already seen in the window.
 * @SRTPRELAY_STAT_TOO_OLD: dropped: index older than the replay window.
 * @SRTPRELAY_STAT_MKI_MISMATCH: dropped: MKI not the configured one.
 * @SRTPRELAY_STAT_MALFORMED: dropped or passed on: not a valid (S)RTP or
 *	(S)RTCP packet (too short, version not 2, header past the end).
 * @SRTPRELAY_STAT_SOURCE_REJECTED: dropped before any crypto: source is
 *	not the signalled (lock-on-SDP) or latched remote, or no better than
 *	the latched one in the learning window (see Sources).
 * @SRTPRELAY_STAT_HELD: authenticated but not sent: stream on hold.
 * @SRTPRELAY_STAT_SSRC_CHANGES: a new SSRC took a crypto state slot.
 * @SRTPRELAY_STAT_ROC_CHANGES: rollover counter advanced (sequence wrap).
 * @SRTPRELAY_STAT_TX_ERRORS: dropped: no route, no memory, or send failed.
 * @SRTPRELAY_STAT_PUNTED: (global only) realm packets the module did not own,
 *	passed on to the stack or the realm's NFQUEUE.
 * @SRTPRELAY_STAT_FRAGMENTS: (global only) fragments to a realm, passed on.
 * @SRTPRELAY_STAT_TX_REFUSED: dropped: sending would reuse keystream (the
 *	SRTP index was sent before or lies behind the window of sent indices,
 *	the SSRC found no state slot for sending, or its SRTCP index is spent).
 * @SRTPRELAY_STAT_LATCHES: a source latched, or a better one replaced it in
 *	the learning window.
 * @SRTPRELAY_STAT_BAD_CHECKSUM: dropped: wrong UDP checksum, or none over
 *	IPv6 (RFC 8200 section 8.1). Checked before any crypto.
 * @SRTPRELAY_STAT_TTL_EXPIRED: dropped: arrived with TTL (hop limit) 1. The
 *	relay sends on with the TTL or hop limit it received less one, across
 *	families too, so that output looping back into the relay dies out.
 * @SRTPRELAY_STAT_TOO_LONG: authenticated but not sent: with the output
 *	leg's tag and MKI it would not fit in one IP packet (65535 bytes of
 *	IPv4, 65535 bytes of IPv6 payload).
 * @SRTPRELAY_STAT_ROC_MISMATCH: authenticated but not sent (PASS_THROUGH):
 *	the output leg's peer would read the packet at another index than
 *	its sender protected it at, and fail to authenticate it. Their
 *	rollover counters for the SSRC differ: an update kept the output
 *	key and its state but not the input's, or a long gap in what was
 *	sent on. A re-keyed stream protects at the index its peer reads.
 */
enum srtprelay_stat {
	SRTPRELAY_STAT_RX_PACKETS,
	SRTPRELAY_STAT_RX_BYTES,
	SRTPRELAY_STAT_TX_PACKETS,
	SRTPRELAY_STAT_TX_BYTES,
	SRTPRELAY_STAT_RTCP_RX_PACKETS,
	SRTPRELAY_STAT_RTCP_TX_PACKETS,
	SRTPRELAY_STAT_AUTH_FAILED,
	SRTPRELAY_STAT_REPLAYED,
	SRTPRELAY_STAT_TOO_OLD,
	SRTPRELAY_STAT_MKI_MISMATCH,
	SRTPRELAY_STAT_MALFORMED,
	SRTPRELAY_STAT_SOURCE_REJECTED,
	SRTPRELAY_STAT_HELD,
	SRTPRELAY_STAT_SSRC_CHANGES,
	SRTPRELAY_STAT_ROC_CHANGES,
	SRTPRELAY_STAT_TX_ERRORS,
	SRTPRELAY_STAT_PUNTED,
	SRTPRELAY_STAT_FRAGMENTS,
	SRTPRELAY_STAT_TX_REFUSED,
	SRTPRELAY_STAT_LATCHES,
	SRTPRELAY_STAT_BAD_CHECKSUM,
	SRTPRELAY_STAT_TTL_EXPIRED,
	SRTPRELAY_STAT_TOO_LONG,
	SRTPRELAY_STAT_ROC_MISMATCH,
	__SRTPRELAY_STAT_MAX
};
#define SRTPRELAY_STAT_COUNT __SRTPRELAY_STAT_MAX

/* Extra attribute in a nested stats block, after the counters. */
#define SRTPRELAY_A_STATS_LAST_RX_AGE_MS (SRTPRELAY_STAT_COUNT + 1)
#define SRTPRELAY_A_STATS_MAX SRTPRELAY_A_STATS_LAST_RX_AGE_MS

/*
 * enum srtprelay_event - SRTPRELAY_A_EVENT_TYPE values.
 * @SRTPRELAY_EVENT_REMOTE_LATCHED: a stream latched its first source;
 *	SRTPRELAY_A_EVENT_REMOTE says which.
 * @SRTPRELAY_EVENT_REMOTE_CHANGED: a latching stream moved to a better
 *	source in its learning window (an authenticated packet came from it);
 *	SRTPRELAY_A_EVENT_REMOTE says which.
 * @SRTPRELAY_EVENT_SOURCE_REJECTED: a packet from a source the stream does
 *	not accept was dropped; SRTPRELAY_A_EVENT_REMOTE says from where. At
 *	most one a second per stream (the first refusal of that second):
 *	SRTPRELAY_STAT_SOURCE_REJECTED counts them all.
 * @SRTPRELAY_EVENT_SSRC_CHANGED: a new SSRC appeared on a stream;
 *	SRTPRELAY_A_EVENT_SSRC says which.
 * @SRTPRELAY_EVENT_IDLE: a stream that had media received nothing for 10 s.
 */
enum srtprelay_event {
	SRTPRELAY_EVENT_UNSPEC,
	SRTPRELAY_EVENT_REMOTE_LATCHED,
	SRTPRELAY_EVENT_REMOTE_CHANGED,
	SRTPRELAY_EVENT_SSRC_CHANGED,
	SRTPRELAY_EVENT_IDLE,
	SRTPRELAY_EVENT_SOURCE_REJECTED,
	__SRTPRELAY_EVENT_MAX
};

#endif /* _UAPI_LINUX_SRTPRELAY_H */

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * relay_nl: a small client of the srtprelay generic netlink family, over
 * libmnl, for srtprelayd, srtprelayctl and the tests. It speaks exactly what
 * include/uapi/linux/srtprelay.h documents and nothing else.
 *
 * Every call returns 0 or a negative errno. When the kernel refused, the
 * handle keeps the errno and the extended ACK's text (and which attribute it
 * pointed at), so a caller can print what failed and why:
 *
 *	if (relay_nl_stream_add(nl, &s) < 0)
 *		fprintf(stderr, "stream add: %s\n", relay_nl_strerror(nl));
 *
 * A handle is not thread-safe. One that joined the events group should do
 * nothing but receive events: requests on it would see events interleaved.
 * Key material given to add/set is wiped from the request buffer as soon as
 * it is sent; the caller owns (and should wipe) its own struct.
 */
#ifndef SRTPRELAY_RELAY_NETLINK_H
#define SRTPRELAY_RELAY_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/srtprelay.h>

struct relay_nl;

/* Where the userspace datapath (srtprelay-datapath) listens by default. */
#define RELAY_NL_DEFAULT_SOCKET "/run/srtprelay/datapath.sock"

/* Why the last call failed: errno, and the kernel's own words if any. */
struct relay_nl_err {
	int code;		/* positive errno, 0 if none */
	char msg[256];		/* extack text or local reason, may be "" */
	char attr[48];		/* attribute the kernel pointed at, or "" */
	bool from_kernel;	/* msg is the kernel's extack, not ours */
};

/* One side's crypto (RFC 4568 a=crypto). Key, salt, MKI value: write-only. */
struct relay_nl_crypto {
	uint32_t suite;			/* enum srtprelay_suite */
	uint8_t key[SRTPRELAY_MASTER_KEY_MAX_LEN];	/* the suite's length */
	uint8_t salt[SRTPRELAY_MASTER_SALT_MAX_LEN];	/* likewise */
	uint8_t mki[SRTPRELAY_MKI_MAX_LEN];
	uint8_t mki_len;		/* 0: no MKI */
	uint32_t roc;
	bool has_roc;
	uint16_t seq;
	bool has_seq;
	uint16_t replay_window;		/* 0: not given (module default) */
	uint32_t flags;			/* SRTPRELAY_CRYPTO_F_* */
};

/* Which optional parts of a struct relay_nl_stream are meaningful. */
enum relay_nl_stream_has {
	RELAY_NL_HAS_REMOTE = 1U << 0,
	RELAY_NL_HAS_LATCHED = 1U << 1,		/* read-only */
	RELAY_NL_HAS_OUT_SRC = 1U << 2,
	RELAY_NL_HAS_OUT_DST = 1U << 3,
	RELAY_NL_HAS_OUT_RTCP_DST = 1U << 4,
	RELAY_NL_HAS_FLAGS = 1U << 5,
	RELAY_NL_HAS_COOKIE = 1U << 6,
	RELAY_NL_HAS_IN_CRYPTO = 1U << 7,
	RELAY_NL_HAS_OUT_CRYPTO = 1U << 8,
	RELAY_NL_HAS_STATS = 1U << 9,		/* read-only */
	RELAY_NL_HAS_LAST_RX = 1U << 10,	/* read-only */
	RELAY_NL_HAS_LATCH_WINDOW = 1U << 11,
};

/*
 * A stream, as sent (add: LOCAL, OUT_SRC, OUT_DST and both crypto required;
 * set: LOCAL and whatever else is to change) or as dumped (no key material).
 */
struct relay_nl_stream {
	uint32_t has;				/* RELAY_NL_HAS_* */
	struct sockaddr_storage local;
	struct sockaddr_storage remote;
	struct sockaddr_storage latched;
	struct sockaddr_storage out_src;
	struct sockaddr_storage out_dst;
	struct sockaddr_storage out_rtcp_dst;
	uint32_t flags;				/* SRTPRELAY_STREAM_F_* */
	uint64_t cookie;
	struct relay_nl_crypto in, out;
	uint64_t stats[SRTPRELAY_STAT_COUNT];
	uint64_t last_rx_age_ms;		/* if RELAY_NL_HAS_LAST_RX */
	/* Sent: open the learning window for this long; dumped: what is
	 * left of it, 0 once closed (RELAY_NL_HAS_LATCH_WINDOW). */
	uint32_t latch_window_ms;
};

struct relay_nl_realm {
	uint32_t id;
	struct sockaddr_storage addr;		/* port ignored */
	uint16_t port_min, port_max;
	uint16_t nfqueue;
	bool has_nfqueue;
};

struct relay_nl_stats {
	uint64_t counters[SRTPRELAY_STAT_COUNT];
	uint32_t stream_count;
	uint32_t realm_count;
	uint64_t last_rx_age_ms;		/* any stream's last packet */
	bool has_last_rx;
};

struct relay_nl_event {
	uint32_t type;				/* enum srtprelay_event */
	struct sockaddr_storage local;		/* AF_UNSPEC if absent */
	uint64_t cookie;
	bool has_cookie;
	struct sockaddr_storage remote;		/* AF_UNSPEC if absent */
	uint32_t ssrc;
	bool has_ssrc;
};

/* Callbacks of dumps: return 0 to go on, non-zero to skip the rest. */
typedef int (*relay_nl_realm_cb)(const struct relay_nl_realm *realm, void *arg);
typedef int (*relay_nl_stream_cb)(const struct relay_nl_stream *stream,
				  void *arg);
typedef int (*relay_nl_event_cb)(const struct relay_nl_event *event, void *arg);

/*
 * Connects to the media plane: the kernel module's generic netlink family,
 * or, when the module is not loaded (or SRTPRELAY_BACKEND=userspace), the
 * userspace datapath's unix socket (SRTPRELAY_SOCKET, default
 * RELAY_NL_DEFAULT_SOCKET), which speaks the same messages. NULL on
 * failure, with @err filled in (ENOENT with a clear text when neither is
 * there).
 */
struct relay_nl *relay_nl_open(struct relay_nl_err *err);
/* "kernel" or "userspace datapath": what relay_nl_open() connected to. */
const char *relay_nl_backend(const struct relay_nl *nl);
void relay_nl_close(struct relay_nl *nl);

/* Last failure of @nl, and the same as one line ("Invalid argument: ..."). */
const struct relay_nl_err *relay_nl_error(const struct relay_nl *nl);
const char *relay_nl_strerror(const struct relay_nl *nl);
/* The same line for an error struct; writes into @buf. */
const char *relay_nl_err_format(const struct relay_nl_err *err, char *buf,
				size_t size);

int relay_nl_realm_add(struct relay_nl *nl, const struct relay_nl_realm *realm);
int relay_nl_realm_del(struct relay_nl *nl, uint32_t id);
int relay_nl_realm_dump(struct relay_nl *nl, relay_nl_realm_cb cb, void *arg);

int relay_nl_stream_add(struct relay_nl *nl, const struct relay_nl_stream *s);
int relay_nl_stream_set(struct relay_nl *nl, const struct relay_nl_stream *s);
int relay_nl_stream_del(struct relay_nl *nl,
			const struct sockaddr_storage *local);
int relay_nl_stream_get(struct relay_nl *nl,
			const struct sockaddr_storage *local,
			struct relay_nl_stream *out);
int relay_nl_stream_dump(struct relay_nl *nl, relay_nl_stream_cb cb, void *arg);
/* @cookie NULL: every stream of the netns. */
int relay_nl_stream_flush(struct relay_nl *nl, const uint64_t *cookie);

int relay_nl_stats_get(struct relay_nl *nl, struct relay_nl_stats *out);

/*
 * Events: join the "events" group, then poll relay_nl_fd() and call
 * relay_nl_event_recv(), which reads one datagram and calls @cb per event.
 * -ENOBUFS means the socket (or the datapath's event queue) overran and
 * events were lost; go on reading. -ECONNRESET: the userspace datapath is
 * gone; -ENODEV: the module is being unloaded (on the kernel backend the
 * handle also joins nlctrl's "notify" group for its family's removal).
 * Any request answers -ENODEV, not genetlink's bare ENOENT, once the
 * family it was opened on is gone or registered anew. The userspace datapath takes the join as a request (see
 * daemon/datapath/control.c); events reach only the handles that joined.
 */
int relay_nl_subscribe(struct relay_nl *nl);
int relay_nl_fd(const struct relay_nl *nl);
int relay_nl_event_recv(struct relay_nl *nl, relay_nl_event_cb cb, void *arg);

/* Names: UAPI enum names in lowercase without prefix; NULL if unknown. */
const char *relay_nl_stat_name(unsigned int stat);
const char *relay_nl_suite_name(uint32_t suite);
int relay_nl_suite_parse(const char *name, uint32_t *suite);	/* 0 or -EINVAL */
const char *relay_nl_event_name(uint32_t type);
const char *relay_nl_stream_flag_name(uint32_t flag);	/* one bit */
const char *relay_nl_crypto_flag_name(uint32_t flag);	/* one bit */

/*
 * The message codec, exposed for tests and for anyone who carries these
 * messages over another transport. put: appends the attributes of @s to
 * @nlh (key material included). parse: decodes a STREAM_* or EVENT message
 * (attributes after the genlmsghdr); unknown attributes are skipped, wrong
 * lengths give -EINVAL.
 */
void relay_nl_stream_put(struct nlmsghdr *nlh, const struct relay_nl_stream *s);
/* A sockaddr_in or sockaddr_in6 attribute, by the address's family. */
void relay_nl_put_sockaddr(struct nlmsghdr *nlh, uint16_t type,
			   const struct sockaddr_storage *ss);
int relay_nl_stream_parse(const struct nlmsghdr *nlh,
			  struct relay_nl_stream *s);
int relay_nl_realm_parse(const struct nlmsghdr *nlh, struct relay_nl_realm *r);
int relay_nl_event_parse(const struct nlmsghdr *nlh, struct relay_nl_event *e);
/*
 * Decodes an NLMSG_ERROR (or a dump's NLMSG_DONE) into @err. @req, if not
 * NULL, is the request it answers, to name the attribute at
 * NLMSGERR_ATTR_OFFS. Returns the negative errno (0 for a plain ACK).
 */
int relay_nl_decode_error(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *req, struct relay_nl_err *err);

#endif /* SRTPRELAY_RELAY_NETLINK_H */

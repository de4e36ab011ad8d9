/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the relay_nl files share among themselves and no caller needs. */
#ifndef SRTPRELAY_RELAY_NL_PRIVATE_H
#define SRTPRELAY_RELAY_NL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "relay_netlink.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The largest request (a stream add) is under 600 bytes: six sockaddr_in6
 * and two crypto nests. */
#define REQ_SIZE 4096

/* One client of either backend (relay_netlink.c). */
struct relay_nl {
	struct mnl_socket *sock;	/* kernel backend */
	int fd;				/* either backend's socket */
	bool userspace;			/* the datapath's unix socket */
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t events_group;
	bool has_events_group;
	struct relay_nl_err err;
	char errline[sizeof(((struct relay_nl_err *)0)->msg) + 128];
	/* Aligned for struct nlmsghdr; the request stays here until the reply
	 * is read so that NLMSGERR_ATTR_OFFS can be turned into a name.
	 */
	union {
		struct nlmsghdr hdr;
		char buf[REQ_SIZE];
	} req;
	char *rx;
};

typedef int (*relay_nl_reply_cb)(const struct nlmsghdr *nlh, void *arg);

/* A request of the family in @nl's buffer, for relay_nl_transact(). */
struct nlmsghdr *relay_nl_cmd_start(struct relay_nl *nl, uint8_t cmd,
				    uint16_t flags);
/* Sends the request in @nl's buffer, hands every reply to @cb (NULL: an
 * ACK only); 0 or -errno with @nl's error set (relay_netlink.c), -ENODEV
 * when the module's family the request was for is gone. */
int relay_nl_transact(struct relay_nl *nl, relay_nl_reply_cb cb, void *arg);

/* Fills @err (errno @code and a formatted reason); returns -@code. */
int relay_nl_set_err(struct relay_nl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Zeroes key, salt and MKI value in a request once it has been sent. */
void relay_nl_wipe_secrets(struct nlmsghdr *nlh);
int relay_nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb);
int relay_nl_parse_stats(const struct nlattr *nest, uint64_t *counters,
			 uint64_t *age, bool *has_age);
bool relay_nl_len_is(const struct nlattr *a, size_t len);

#endif /* SRTPRELAY_RELAY_NL_PRIVATE_H */

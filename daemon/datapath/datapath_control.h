/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Encoding and validation of the srtprelay generic netlink messages on
 * the userspace datapath's side (control_codec.c).
 */
#ifndef SRTPRELAY_DATAPATH_CONTROL_H
#define SRTPRELAY_DATAPATH_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "relay_netlink.h"

/* What our GETFAMILY answer says: any id above the netlink control ones. */
#define DP_CONTROL_FAMILY_ID 0x7ff0
#define DP_CONTROL_EVENTS_GROUP 1

/* A stream as dumps show it: addresses, flags, suites, counters; no keys. */
void dp_control_put_stream(struct nlmsghdr *nlh,
			   const struct relay_nl_stream *stream);
/* The kernel's nla_policy, checked on a request: 0 or -errno and @why. */
int dp_control_validate(const struct nlmsghdr *req, const char **why);
uint32_t dp_control_realm_id(const struct nlmsghdr *req);
bool dp_control_cookie(const struct nlmsghdr *req, uint64_t *cookie);
/*
 * A unix socket has no NETLINK_ADD_MEMBERSHIP: a client joins the events
 * group with CTRL_CMD_NEWMCAST_GRP carrying CTRL_ATTR_FAMILY_ID and
 * CTRL_ATTR_MCAST_GROUPS as our GETFAMILY answer gave them. 0 or -errno
 * and @why.
 */
int dp_control_join(const struct nlmsghdr *req, const char **why);
/* SRTPRELAY_CMD_EVENT's attributes, as the module puts them. */
void dp_control_put_event(struct nlmsghdr *nlh,
			  const struct relay_nl_event *event);

#endif /* SRTPRELAY_DATAPATH_CONTROL_H */

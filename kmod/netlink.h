/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink interface of include/uapi/linux/srtprelay.h.
 */
#ifndef SRTPRELAY_NETLINK_H
#define SRTPRELAY_NETLINK_H

#include "srtprelay.h"

#include <linux/srtprelay.h>

int srtprelay_genl_init(void);
void srtprelay_genl_exit(void);
void srtprelay_event(struct net *net, enum srtprelay_event type,
		     const struct srtprelay_addr *local, u64 cookie,
		     const struct srtprelay_addr *remote, u32 ssrc);

#endif /* SRTPRELAY_NETLINK_H */

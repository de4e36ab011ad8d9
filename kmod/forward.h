/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending a transformed packet on: new addresses, ports, lengths and
 * checksums, a route, and out through the local output path.
 */
#ifndef SRTPRELAY_FORWARD_H
#define SRTPRELAY_FORWARD_H

#include "srtprelay.h"

struct sk_buff;

int srtprelay_forward(struct net *net, struct sk_buff *skb,
		      unsigned int thoff, unsigned int payload_len,
		      const struct srtprelay_addr *src,
		      const struct srtprelay_addr *dst);

#endif /* SRTPRELAY_FORWARD_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attributes of the "srtprelay" generic netlink family: the policy every
 * request is parsed with, and the readers and writers netlink.c builds its
 * commands, dumps and events from.
 */
#ifndef SRTPRELAY_NETLINK_ATTR_H
#define SRTPRELAY_NETLINK_ATTR_H

#include "srtprelay.h"
#include "stream.h"

#include <linux/srtprelay.h>
#include <net/genetlink.h>

extern const struct nla_policy srtprelay_policy[SRTPRELAY_A_MAX + 1];

/**
 * srtprelay_nla_get_addr() - read a sockaddr attribute the policy checked
 * @attr: a sockaddr_in or sockaddr_in6 of exact length
 * @a: filled with its family, address and port
 */
void srtprelay_nla_get_addr(const struct nlattr *attr, struct srtprelay_addr *a);

/**
 * srtprelay_nla_put_addr() - write @a as a sockaddr attribute
 * @skb: message being built
 * @type: attribute type
 * @a: address and port
 *
 * Return: 0 or -EMSGSIZE.
 */
int srtprelay_nla_put_addr(struct sk_buff *skb, int type,
			   const struct srtprelay_addr *a);

/**
 * srtprelay_get_addr() - read a request's sockaddr attribute and check it
 * @info: the request; info->attrs[@type] must be present
 * @type: attribute type
 * @a: filled with the address
 * @unicast: a realm, LOCAL or OUT_SRC must be unicast; otherwise the
 *	address must merely not be the any address
 *
 * Return: 0, or -EINVAL with the reason in the extended ack.
 */
int srtprelay_get_addr(struct genl_info *info, int type,
		       struct srtprelay_addr *a, bool unicast);

/**
 * srtprelay_parse_stream() - read what STREAM_ADD and STREAM_SET may carry
 * @info: the request
 * @spec: filled; spec->given says which parts were present
 *
 * The caller checks which parts its command requires.
 *
 * Return: 0, or a negative errno with the reason in the extended ack.
 */
int srtprelay_parse_stream(struct genl_info *info,
			   struct srtprelay_stream_spec *spec);

/**
 * srtprelay_put_crypto() - write a stream's crypto as a nest, keys omitted
 * @skb: message being built
 * @type: SRTPRELAY_A_STREAM_IN_CRYPTO or SRTPRELAY_A_STREAM_OUT_CRYPTO
 * @c: suite, MKI length, replay window and flags
 *
 * Return: 0 or -EMSGSIZE.
 */
int srtprelay_put_crypto(struct sk_buff *skb, int type,
			 const struct srtprelay_crypto_info *c);

#endif /* SRTPRELAY_NETLINK_ATTR_H */

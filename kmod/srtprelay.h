/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects shared by every part of srtprelay.ko: the per-namespace state and
 * the address type the packet path compares.
 */
#ifndef SRTPRELAY_H
#define SRTPRELAY_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

struct srtprelay_pcpu_stats;

/*
 * struct srtprelay_addr - an IPv4 or IPv6 address and a UDP port.
 *
 * Used as a hash key and compared with memcmp(): build it with
 * srtprelay_addr_v4()/_v6() or from netlink, which zero the unused bytes.
 * There is no padding (16 + 2 + 2 bytes).
 */
struct srtprelay_addr {
	union {
		__be32 in4;
		struct in6_addr in6;
	};
	__be16 port;
	u16 family;		/* AF_INET or AF_INET6; 0: none */
};

static inline void srtprelay_addr_v4(struct srtprelay_addr *a, __be32 ip,
				     __be16 port)
{
	memset(a, 0, sizeof(*a));
	a->in4 = ip;
	a->port = port;
	a->family = AF_INET;
}

static inline void srtprelay_addr_v6(struct srtprelay_addr *a,
				     const struct in6_addr *ip, __be16 port)
{
	memset(a, 0, sizeof(*a));
	a->in6 = *ip;
	a->port = port;
	a->family = AF_INET6;
}

static inline bool srtprelay_addr_equal(const struct srtprelay_addr *a,
					const struct srtprelay_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Same address and family, any port. */
static inline bool srtprelay_addr_same_ip(const struct srtprelay_addr *a,
					  const struct srtprelay_addr *b)
{
	return a->family == b->family && !memcmp(&a->in6, &b->in6, sizeof(a->in6));
}

/*
 * struct srtprelay_net - the module's state in one network namespace.
 * @net: the namespace
 * @lock: serialises every change (netlink commands, idle scan); the packet
 *	path never takes it
 * @realms: list of struct srtprelay_realm; RCU readers, changed under @lock
 * @realm_count: length of @realms
 * @streams: struct srtprelay_stream by local address and port; RCU readers
 * @stream_list: the same streams in creation (id) order, under @lock, so
 *	that a dump can resume where it stopped
 * @stream_count: number of streams
 * @next_stream_id: id of the next stream created
 * @stats: netns-wide counters
 * @last_rx: jiffies of the last authenticated packet, 0 if none
 * @idle_work: periodic scan that reports streams gone quiet
 */
struct srtprelay_net {
	struct net *net;
	struct mutex lock;		/* every change; see above */
	struct list_head realms;
	unsigned int realm_count;
	struct rhashtable streams;
	struct list_head stream_list;
	unsigned int stream_count;
	u64 next_stream_id;
	struct srtprelay_pcpu_stats __percpu *stats;
	unsigned long last_rx;
	struct delayed_work idle_work;
};

extern unsigned int srtprelay_net_id;

static inline struct srtprelay_net *srtprelay_pernet(const struct net *net)
{
	return net_generic(net, srtprelay_net_id);
}

/* Work that frees objects after an RCU grace period in process context,
 * where crypto transforms may be freed. Drained at module exit.
 */
extern struct workqueue_struct *srtprelay_wq;

#endif /* SRTPRELAY_H */

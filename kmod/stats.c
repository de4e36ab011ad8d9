// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU so that the packet path never shares a cache line
 * between CPUs, summed only when userspace asks.
 */

#include "stats.h"

#include <linux/jiffies.h>
#include <net/netlink.h>

/* Inside the nest every type from 1 up is a counter, so alignment padding
 * (only emitted on architectures without efficient unaligned access) uses
 * type 0, which parsers skip as unspecified.
 */
#define STATS_PAD 0

/**
 * srtprelay_stats_alloc() - allocate a zeroed set of per-CPU counters
 *
 * Return: the counters, or NULL when out of memory.
 */
struct srtprelay_pcpu_stats __percpu *srtprelay_stats_alloc(void)
{
	struct srtprelay_pcpu_stats __percpu *stats;
	int cpu;

	/* Charged to the memory cgroup of whoever adds the stream. */
	stats = alloc_percpu_gfp(struct srtprelay_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

/**
 * srtprelay_stats_free() - free counters from srtprelay_stats_alloc()
 * @stats: the counters, or NULL
 */
void srtprelay_stats_free(struct srtprelay_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

/**
 * srtprelay_stats_sum() - add up the counters of every CPU
 * @stats: the counters
 * @sum: filled with one total per enum srtprelay_stat
 */
void srtprelay_stats_sum(struct srtprelay_pcpu_stats __percpu *stats,
			 u64 sum[SRTPRELAY_STAT_COUNT])
{
	u64 snap[SRTPRELAY_STAT_COUNT];
	unsigned int start;
	int cpu, i;

	memset(sum, 0, sizeof(u64) * SRTPRELAY_STAT_COUNT);
	for_each_possible_cpu(cpu) {
		const struct srtprelay_pcpu_stats *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			memcpy(snap, s->count, sizeof(snap));
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < SRTPRELAY_STAT_COUNT; i++)
			sum[i] += snap[i];
	}
}

/* The packet path stamps with a jiffies value that may be a tick ahead of
 * the one read here on another CPU: never report a negative age.
 */
static unsigned long rx_age(unsigned long last_rx)
{
	unsigned long now = jiffies;

	return time_after(last_rx, now) ? 0 : now - last_rx;
}

/**
 * srtprelay_stats_put() - append a nested counters attribute
 * @skb: message being built
 * @attrtype: SRTPRELAY_A_STATS or SRTPRELAY_A_STREAM_STATS
 * @sum: totals from srtprelay_stats_sum()
 * @last_rx: jiffies of the last authenticated packet, 0 if none
 *
 * Counter SRTPRELAY_STAT_x goes out as attribute type x + 1, so that type 0
 * stays unused as netlink expects.
 *
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int srtprelay_stats_put(struct sk_buff *skb, int attrtype,
			const u64 sum[SRTPRELAY_STAT_COUNT],
			unsigned long last_rx)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < SRTPRELAY_STAT_COUNT; i++)
		if (nla_put_u64_64bit(skb, i + 1, sum[i], STATS_PAD))
			goto cancel;
	if (last_rx &&
	    nla_put_u64_64bit(skb, SRTPRELAY_A_STATS_LAST_RX_AGE_MS,
			      jiffies_to_msecs(rx_age(last_rx)), STATS_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

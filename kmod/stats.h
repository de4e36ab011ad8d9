/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU packet counters, one set per stream and one per namespace,
 * summed when read (SRTPRELAY_A_STATS / SRTPRELAY_A_STREAM_STATS).
 */
#ifndef SRTPRELAY_STATS_H
#define SRTPRELAY_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/srtprelay.h>

struct sk_buff;

struct srtprelay_pcpu_stats {
	u64 count[SRTPRELAY_STAT_COUNT];
	struct u64_stats_sync syncp;
};

struct srtprelay_pcpu_stats __percpu *srtprelay_stats_alloc(void);
void srtprelay_stats_free(struct srtprelay_pcpu_stats __percpu *stats);
void srtprelay_stats_sum(struct srtprelay_pcpu_stats __percpu *stats,
			 u64 sum[SRTPRELAY_STAT_COUNT]);
int srtprelay_stats_put(struct sk_buff *skb, int attrtype,
			const u64 sum[SRTPRELAY_STAT_COUNT],
			unsigned long last_rx);

/*
 * Adds @value to counter @stat of @stats on this CPU. Packet path only:
 * runs with bottom halves disabled, so the per-CPU slot cannot change
 * under it.
 */
static inline void srtprelay_stats_add(struct srtprelay_pcpu_stats __percpu *stats,
				       enum srtprelay_stat stat, u64 value)
{
	struct srtprelay_pcpu_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	s->count[stat] += value;
	u64_stats_update_end(&s->syncp);
}

#endif /* SRTPRELAY_STATS_H */

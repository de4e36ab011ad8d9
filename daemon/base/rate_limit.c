// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Per-address token buckets and bans (rate_limit.h). */
#include <stdlib.h>
#include <string.h>

#include "base/rate_limit.h"
#include "base/token_bucket.h"

struct source_rate {
	struct ip_entry entry;		/* first: the table links it */
	struct source_rate *newer, *older;
	struct token_bucket bucket;
	uint64_t banned_until_ms;	/* 0: not banned */
	unsigned long long dropped;	/* during the current ban */
};

int rate_limiter_init(struct rate_limiter *rl)
{
	memset(rl, 0, sizeof(*rl));
	return ip_table_init(&rl->table);
}

static void lru_unlink(struct rate_limiter *rl, struct source_rate *s)
{
	if (s->newer)
		s->newer->older = s->older;
	else
		rl->newest = s->older;
	if (s->older)
		s->older->newer = s->newer;
	else
		rl->oldest = s->newer;
	s->newer = s->older = NULL;
}

static void lru_push(struct rate_limiter *rl, struct source_rate *s)
{
	s->older = rl->newest;
	s->newer = NULL;
	if (rl->newest)
		rl->newest->newer = s;
	rl->newest = s;
	if (!rl->oldest)
		rl->oldest = s;
}

static void forget(struct rate_limiter *rl, struct source_rate *s)
{
	lru_unlink(rl, s);
	ip_table_remove(&rl->table, &s->entry);
	free(s);
}

void rate_limiter_free(struct rate_limiter *rl)
{
	while (rl->oldest)
		forget(rl, rl->oldest);
}

static struct source_rate *source_of(struct rate_limiter *rl,
				     const struct ip_key *ip,
				     const struct rate_params *p)
{
	struct source_rate *s = (struct source_rate *)ip_table_find(&rl->table, ip);

	if (s) {
		lru_unlink(rl, s);
		lru_push(rl, s);
		return s;
	}
	/* Spoofed sources come in any number: the table stays bounded. */
	while (rl->table.count >= p->max_sources && rl->oldest) {
		forget(rl, rl->oldest);
		rl->evicted++;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->entry.ip = *ip;
	ip_table_insert(&rl->table, &s->entry);
	lru_push(rl, s);
	return s;
}

bool rate_limit_pass(struct rate_limiter *rl, const struct sockaddr_storage *src,
		     const struct rate_params *p, uint64_t now)
{
	struct source_rate *s;
	struct ip_key ip;
	char a[64];

	if (!p->rate)
		return true;
	ip_key_of(src, &ip);
	s = source_of(rl, &ip, p);
	if (!s)
		return true;	/* out of memory: no worse than no limit */
	if (s->banned_until_ms > now) {
		s->dropped++;
		rl->dropped++;
		return false;
	}
	if (s->banned_until_ms) {		/* a ban just ended: a full bucket */
		s->banned_until_ms = 0;
		s->dropped = 0;
		s->bucket.last_ms = 0;
	}
	if (!token_bucket_take(&s->bucket, p->rate, p->burst, now)) {
		s->banned_until_ms = now + p->ban_s * 1000ULL;
		s->dropped = 1;
		rl->bans++;
		rl->dropped++;
		log_limited(&rl->ban_log, LOG_LVL_WARN,
			    "%s sent over %u requests a second (burst %u): banned for %u s",
			    ip_key_str(&ip, a, sizeof(a)), p->rate, p->burst, p->ban_s);
		return false;
	}
	return true;
}

bool rate_limit_banned(const struct rate_limiter *rl,
		       const struct sockaddr_storage *src, uint64_t now)
{
	const struct source_rate *s;
	struct ip_key ip;

	ip_key_of(src, &ip);
	s = (const struct source_rate *)ip_table_find(&rl->table, &ip);
	return s && s->banned_until_ms > now;
}

unsigned int rate_limiter_bans(const struct rate_limiter *rl, uint64_t now,
			       rate_ban_cb cb, void *arg)
{
	const struct source_rate *s;
	unsigned int n = 0;

	for (s = rl->newest; s; s = s->older) {
		if (s->banned_until_ms <= now)
			continue;
		n++;
		if (cb)
			cb(&s->entry.ip, s->banned_until_ms - now, s->dropped, arg);
	}
	return n;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Where calls are kept: one list for the walks (status, shutdown) and two
 * hashes, of every leg's Call-ID and of the call's id (the media plane's
 * cookie), so that a request or a media event finds its call without a
 * walk over every call: an SBC carries thousands at once, every ACK,
 * re-INVITE and BYE looks its call up, and so does every latch event.
 */
#include <string.h>

#include "call/call_index.h"
#include "call/forks.h"
#include "base/hash.h"
#include "call/sip_dialog.h"
#include "sip/sip_msg.h"

#define CALL_HASH 16384

struct call *calls;		/* every call, newest first (call.h) */
static struct call_link *by_call_id[CALL_HASH];
static struct call *by_id[CALL_HASH];
static unsigned int n_calls;
static unsigned int n_unanswered;	/* calls in progress */
static unsigned long long refused_in_progress;

/* Call-IDs are chosen by the caller: keyed buckets. */
static struct hash_key call_id_key;

int call_index_setup(void)
{
	return hash_key_init(&call_id_key);
}

static unsigned int hash_call_id(const char *s)
{
	return (unsigned int)(hash_string(&call_id_key, s) % CALL_HASH);
}

static void unindex_leg(struct leg *l)
{
	struct call_link **p;

	if (!l->link.call)
		return;
	for (p = &by_call_id[l->link_bucket]; *p; p = &(*p)->next) {
		if (*p == &l->link) {
			*p = l->link.next;
			break;
		}
	}
	l->link.call = NULL;
	l->link.next = NULL;
}

void call_index_leg(struct call *c, int k)
{
	struct leg *l = &c->leg[k];

	unindex_leg(l);
	if (!l->call_id[0])
		return;
	l->link.call = c;
	l->link.leg = k;
	l->link_bucket = hash_call_id(l->call_id);
	l->link.next = by_call_id[l->link_bucket];
	by_call_id[l->link_bucket] = &l->link;
}

void call_list_add(struct call *c)
{
	c->next_by_id = by_id[c->id % CALL_HASH];
	by_id[c->id % CALL_HASH] = c;
	c->prev = NULL;
	c->next = calls;
	if (calls)
		calls->prev = c;
	calls = c;
	n_calls++;
	n_unanswered++;
}

void call_mark_answered(struct call *c, uint64_t now_ms)
{
	if (!c->answered_ms)
		n_unanswered--;
	c->answered_ms = now_ms ? now_ms : 1;
}

unsigned int b2bua_calls_in_progress(void)
{
	return n_unanswered;
}

void call_count_refused_in_progress(void)
{
	refused_in_progress++;
}

unsigned long long b2bua_refused_in_progress(void)
{
	return refused_in_progress;
}

void call_list_remove(struct call *c)
{
	struct call **p;

	for (p = &by_id[c->id % CALL_HASH]; *p; p = &(*p)->next_by_id) {
		if (*p == c) {
			*p = c->next_by_id;
			break;
		}
	}
	unindex_leg(&c->leg[0]);
	unindex_leg(&c->leg[1]);
	if (c->prev)
		c->prev->next = c->next;
	else
		calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->next = c->prev = NULL;
	n_calls--;
	if (!c->answered_ms)
		n_unanswered--;
}

struct call *call_find(const osip_message_t *m, int *leg)
{
	char cid[SIP_CALL_ID_MAX];
	const char *call_id = sip_call_id(m, cid, sizeof(cid));
	struct call_link *link;

	if (!call_id)
		return NULL;
	for (link = by_call_id[hash_call_id(call_id)]; link; link = link->next) {
		struct call *c = link->call;
		const struct early_fork *f;

		/* Or the caller in another early dialog of a forked call. */
		if (dialog_matches(&c->leg[link->leg], m) ||
		    (!link->leg && c->state < CALL_CONFIRMED &&
		     (f = fork_by_caller_tag(c, sip_to_tag(m))) &&
		     dialog_matches_as(&c->leg[0], m, f->caller_tag))) {
			*leg = link->leg;
			return link->call;
		}
	}
	return NULL;
}

struct call *call_by_id(uint64_t id)
{
	struct call *c;

	for (c = by_id[id % CALL_HASH]; c; c = c->next_by_id)
		if (c->id == id)
			return c;
	return NULL;
}

unsigned int b2bua_call_count(void)
{
	return n_calls;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The callee-side early dialogs of a call (forks.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "base/sbuf.h"
#include "call/forks.h"
#include "call/sip_dialog.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"

void forks_init(struct call *c)
{
	c->n_forks = 0;
	c->media_fork = -1;
}

static struct early_fork *fork_by_callee_tag(struct call *c, const char *tag)
{
	unsigned int i;

	for (i = 0; i < c->n_forks; i++)
		if (!strcmp(c->forks[i]->callee_tag, tag))
			return c->forks[i];
	return NULL;
}

struct early_fork *fork_by_caller_tag(struct call *c, const char *tag)
{
	unsigned int i;

	for (i = 0; tag && i < c->n_forks; i++)
		if (!strcmp(c->forks[i]->caller_tag, tag))
			return c->forks[i];
	return NULL;
}

/* @f's place among the call's early dialogs. */
static int fork_index(const struct call *c, const struct early_fork *f)
{
	unsigned int i;

	for (i = 0; i < c->n_forks && c->forks[i] != f; i++)
		;
	return (int)i;
}

void fork_select(struct call *c, const struct early_fork *f)
{
	struct leg *l = &c->leg[1];

	snprintf(l->remote_tag, sizeof(l->remote_tag), "%s", f->callee_tag);
	if (f->remote_target[0])
		snprintf(l->remote_target, sizeof(l->remote_target), "%s",
			 f->remote_target);
}

/* The early dialog of To tag @tag, added when new. */
static struct early_fork *fork_add(struct call *c, const char *tag)
{
	struct early_fork *f = fork_by_callee_tag(c, tag);

	if (f)
		return f;
	if (c->n_forks == CALL_MAX_FORKS) {
		log_limited(&c->party_log, LOG_LVL_WARN,
			    "call %llu: more than %d early dialogs: the one of To tag %.40s is not relayed",
			    (unsigned long long)c->id, CALL_MAX_FORKS, tag);
		return NULL;
	}
	/* Most calls have one: each its own block, not room for four. */
	f = calloc(1, sizeof(*f));
	if (!f) {
		log_err("call %llu: out of memory for an early dialog",
			(unsigned long long)c->id);
		return NULL;
	}
	c->forks[c->n_forks] = f;
	snprintf(f->callee_tag, sizeof(f->callee_tag), "%s", tag);
	if (c->n_forks == 0)
		snprintf(f->caller_tag, sizeof(f->caller_tag), "%s", c->leg[0].local_tag);
	else
		sip_random_token(f->caller_tag, 16);
	if (c->n_forks++)
		log_info("call %llu: forked: early dialog %u (To tag %.40s)",
			 (unsigned long long)c->id, c->n_forks, tag);
	return f;
}

struct early_fork *fork_of_response(struct call *c, const osip_message_t *resp)
{
	const char *tag = sip_to_tag(resp);
	struct early_fork *f = tag && tag[0] ? fork_add(c, tag) : NULL;

	if (!f)
		return NULL;
	/* dialog_learn_response() just took this response's Contact. */
	snprintf(f->remote_target, sizeof(f->remote_target), "%s",
		 c->leg[1].remote_target);
	fork_select(c, f);
	return f;
}

void fork_keep_answer(struct call *c, struct early_fork *f, const char *sdp,
		      size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return;
	memcpy(copy, sdp, len);
	copy[len] = 0;
	secret_free_heap(f->answer);	/* SDP with the branch's keys */
	f->answer = copy;
	f->answer_len = len;
	c->media_fork = fork_index(c, f);
}

void fork_won(struct call *c, struct early_fork *f, const char **answer,
	      size_t *len)
{
	*answer = NULL;
	*len = 0;
	if (!f)
		return;
	snprintf(c->leg[0].local_tag, sizeof(c->leg[0].local_tag), "%s",
		 f->caller_tag);
	if (c->n_forks > 1)
		log_info("call %llu: answered by early dialog %d of %u (To tag %.40s)",
			 (unsigned long long)c->id, fork_index(c, f) + 1,
			 c->n_forks, f->callee_tag);
	if (f->answer && c->media_fork != fork_index(c, f)) {
		*answer = f->answer;
		*len = f->answer_len;
	}
	c->media_fork = fork_index(c, f);
}

void forks_release(struct call *c)
{
	unsigned int i;

	for (i = 0; i < c->n_forks; i++) {
		secret_free_heap(c->forks[i]->answer);
		c->forks[i]->answer = NULL;
	}
}

void forks_free(struct call *c)
{
	unsigned int i;

	forks_release(c);
	for (i = 0; i < c->n_forks; i++) {
		free(c->forks[i]);
		c->forks[i] = NULL;
	}
	forks_init(c);
}

void fork_end_loser(struct call *c, const osip_message_t *resp)
{
	struct leg *l = calloc(1, sizeof(*l));
	const char *tag = sip_to_tag(resp);
	struct early_fork *f = tag && tag[0] ? fork_add(c, tag) : NULL;
	struct sbuf b;

	if (!l)
		return;
	/* The winner's leg, pointed at the loser: its tag, Contact and
	 * route set, the same INVITE CSeq. The copy's route set is its own
	 * (the loser's response replaces it). */
	*l = c->leg[1];
	if (dialog_own_routes(l)) {
		dialog_release(l);
		secret_free(l, sizeof(*l));
		return;
	}
	dialog_learn_response(l, resp);
	sb_init(&b);
	dialog_request(l, &b, "ACK", l->invite_cseq, NULL, NULL, NULL, 0);
	if (!b.failed)
		transport_send(c->transport, &l->peer, b.p, b.len);
	sb_free(&b);
	if (!f || !f->ended) {
		log_info("call %llu: 2xx from another fork (To tag %.40s): ACK and BYE",
			 (unsigned long long)c->id, l->remote_tag);
		sb_init(&b);
		dialog_request(l, &b, "BYE", l->invite_cseq + 1, NULL, NULL, NULL, 0);
		if (!b.failed)
			sip_txn_request(c->txns, &l->peer, b.p, b.len, NULL, NULL);
		sb_free(&b);
		if (f)
			f->ended = true;
	}
	dialog_release(l);
	secret_free(l, sizeof(*l));	/* a copy of the leg: keys, SDP */
}

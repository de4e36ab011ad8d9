/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Outbound registration of the SBC with a trunk (RFC 3261 10.2), for
 * every proxy set with a register group: REGISTER at start to the first
 * target that is up, answered challenges with the proxy set's auth,
 * refreshed at half the expiry the registrar granted, after a failure
 * again in 30 s, doubling up to 5 min, and REGISTER with Expires: 0 when
 * srtprelayd stops cleanly. One Call-ID per registration, CSeq counting
 * up (10.2.4).
 */
#ifndef SRTPRELAYD_REG_CLIENT_H
#define SRTPRELAYD_REG_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/evloop.h"
#include "base/sbuf.h"
#include "call/auth_client.h"
#include "config/config.h"

struct sip_txns;

#define REG_BACKOFF_FIRST_S 30
#define REG_BACKOFF_MAX_S 300

enum reg_state { REG_OFF, REG_REGISTERING, REG_REGISTERED, REG_FAILED,
		 REG_UNREGISTERING };

/* One proxy set's registration. */
struct reg_client {
	struct reg_clients *owner;
	enum reg_state state;
	bool removing;			/* the REGISTER in flight has Expires: 0 */
	bool restart;			/* then register anew (a reload changed it) */
	char call_id[33], from_tag[17];
	uint32_t cseq;
	uint32_t txn;
	int target;			/* index in the proxy set */
	char contact[320];		/* the Contact URI we register */
	struct auth_state auth;		/* of the REGISTER in flight */
	unsigned int asked;		/* Expires we ask for */
	unsigned int granted;		/* what the registrar granted, s */
	unsigned int backoff_s;		/* wait after the next failure */
	uint64_t since_ms;		/* of the last state change */
	uint64_t next_ms;		/* next REGISTER (refresh or retry) */
	int last_code;			/* 0: none; 408: no answer */
	char last_why[160];
	struct ev_timer timer;
	/* What this registration was started with: a reload that changes it
	 * starts over. */
	struct cfg_register reg;
};

struct reg_clients {
	/* The live configuration (keeps its address across reloads). */
	const struct config *cfg;
	struct sip_txns *txns;		/* what the REGISTERs go out through */
	struct reg_client regs[CFG_MAX_OBJ];	/* by proxy set */
};

/* Registers every proxy set of @cfg that asks for it. */
void reg_clients_start(struct reg_clients *rc, const struct config *cfg,
		       struct sip_txns *txns);
/* After a reload: registrations whose register group changed start over,
 * new ones start, removed ones are un-registered. */
void reg_clients_reloaded(struct reg_clients *rc);
/* srtprelayd stops: REGISTER with Expires: 0 for every binding we hold. */
void reg_clients_stop(struct reg_clients *rc);
/* The status lines ("registration PROXYSET ...") or JSON array members. */
void reg_clients_status(const struct reg_clients *rc, struct sbuf *b, bool json);

#endif

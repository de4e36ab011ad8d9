/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A call: two legs, each its own dialog (RFC 3261 12) with its own peer,
 * IP group, SDP and keys. Leg 0 is the caller side (we are its UAS), leg 1
 * the callee side (we are its UAC). A media slot is one m= line of the
 * call: it has a line on each leg and, once both sides agreed, one stream
 * per direction in the media plane.
 */
#ifndef SRTPRELAYD_CALL_H
#define SRTPRELAYD_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "call/advertise.h"
#include "call/auth_client.h"
#include "call/call_stats.h"
#include "config/config.h"
#include "base/evloop.h"
#include "base/log_limit.h"
#include "call/call_store.h"
#include "call/leg_key.h"
#include "sdes.h"
#include "sip/sdp.h"
#include "sip/sip_resolve.h"
#include "sip/sip_types.h"

struct media_plane;
struct sip_txns;
struct transport;

#define CALL_MAX_ROUTES 8
#define CALL_ROUTE_MAX 512		/* a longer route is cut */

enum call_state { CALL_INIT, CALL_EARLY, CALL_CONFIRMED, CALL_ENDING };

/* One m= line's worth of media on one leg. */
struct leg_media {
	int line;			/* m= index on this leg, -1: none */
	uint16_t port;			/* our realm RTP port, 0: none yet */
	struct sockaddr_storage remote;	/* peer's RTP address from its SDP */
	bool remote_known;
	/* Where the peer's RTP really comes from, once the media plane
	 * latched it (symmetric RTP, RFC 4961: a phone behind NAT sends from
	 * another address than its SDP says). Media to the peer goes there.
	 * Cleared when the peer's SDP names a new address. */
	struct sockaddr_storage latched;
	bool latched_known;
	bool rtcp_mux;			/* agreed on this leg */
	enum sdp_dir dir;		/* as the peer said */
	bool srtp;
	struct leg_key peer_key;	/* what the peer sends with */
	struct leg_key our_key;		/* what we send to the peer with */
	unsigned int n_offered;		/* our offered candidates (by tag) */
	struct leg_key *offered;	/* [CFG_MAX_SUITES] once we offered */
};

/* A leg in the Call-ID hash (call_index.c). */
struct call_link {
	struct call_link *next;
	struct call *call;		/* NULL: not in the hash */
	int leg;
};

/*
 * RFC 4028 session timer of one leg (session_timer.c). Each leg has its
 * own: the B2BUA is the UAS of the caller's dialog and the UAC of the
 * callee's, and either side may be the refresher of its own.
 */
struct session_timer {
	struct call *c;
	int k;				/* the leg it belongs to */
	unsigned int interval;		/* seconds, 0: no session timer */
	unsigned int min_se;		/* the least we may ask of this peer */
	bool we_refresh;		/* else the peer does, and we watch */
	bool peer_supports;		/* Supported: timer */
	bool peer_allows_update;	/* refresh by UPDATE, else re-INVITE */
	bool retried_422;		/* our INVITE was retried after a 422 */
	uint32_t refresh_txn;		/* our refresh in flight */
	struct ev_timer timer;		/* next refresh, or the expiry */
};

struct leg {
	int group;			/* IP group */
	/* That group as it was when the call was set up: a configuration
	 * reload changes what new calls get, never a call in progress. */
	struct cfg_ip_group policy;
	int realm;
	struct sip_peer peer;		/* where requests and responses go */
	struct self_name self;		/* our Via and Contact toward peer */
	char call_id[128];
	char local_tag[40], remote_tag[128];
	char local_uri[512], remote_uri[512];	/* From/To without tags */
	char remote_target[512];	/* Contact */
	char *routes[CALL_MAX_ROUTES];	/* each its own block (sip_dialog.c) */
	unsigned int n_routes;
	uint32_t local_cseq, remote_cseq;
	uint32_t invite_cseq;		/* of the INVITE an ACK answers */
	int max_forwards;		/* for requests we send on this leg */
	struct sdp *sdp;		/* the peer's last SDP */
	uint64_t sdp_sess, sdp_version;	/* our o= line toward this leg */
	/* Which form of SRTP offer this leg gets (srtp_offer_form()): the
	 * INVITE after a refused offer tries the next one. */
	unsigned int offer_attempt;
	char *last_body;		/* the SDP we last sent this leg, or NULL */
	struct leg_media media[SDP_MAX_MEDIA];	/* by slot */
	unsigned int n_lines;		/* m= lines in this leg's SDP */
	bool slot_rejected[SDP_MAX_MEDIA];
	uint32_t invite_txn;		/* leg 0: server, leg 1: client */
	uint32_t uas_invite_txn;	/* last INVITE we answered on this leg */
	uint32_t pending_txn;		/* in-dialog request we forwarded */
	uint32_t pending_peer_txn;	/* its server txn on the other leg */
	struct auth_state auth;		/* challenges our INVITE answered */
	struct session_timer st;
	struct call_link link;		/* by call_id */
	unsigned int link_bucket;
};

/*
 * One early dialog on the callee side (forks.c). A forking proxy gives
 * each branch's provisional its own To tag (RFC 3261 12.1, 13.2.2.4);
 * the caller sees each as an early dialog of its own, with a To tag of
 * ours per fork.
 */
#define CALL_MAX_FORKS 4
struct early_fork {
	char callee_tag[128];		/* the branch's To tag */
	char caller_tag[40];		/* ours toward the caller for it */
	char remote_target[512];	/* the branch's Contact */
	char *answer;			/* its early SDP answer, NULL: none */
	size_t answer_len;
	bool ended;			/* a 2xx that lost: ACKed and BYEd */
};

/* One in-dialog request relayed from leg x to leg 1 - x (b2bua_dialog.c),
 * until its final answer; kept on its call's list. */
struct fwd {
	struct fwd *next;
	struct call *c;
	int x;
	uint32_t server_txn, client_txn;
	bool offer, invite, answered;
	/* What is sent again, with credentials, when the peer challenges. */
	char method[16];
	char ctype[128];
	char extra[1024];
	char *body;			/* may hold SDP keys: wiped on free */
	size_t body_len;
	struct auth_state auth;
};

struct call {
	struct call *next, *prev;	/* every call (call_index.c) */
	/* The live configuration (it keeps its address across reloads):
	 * routing and failover read it; a leg's group is copied (policy). */
	const struct config *cfg;
	struct call_stats *stats;	/* the B2BUA's (call_stats.h) */
	struct media_plane *media;	/* the B2BUA's (media.h) */
	struct transport *transport;	/* the B2BUA's (sip/transport.h) */
	struct sip_txns *txns;		/* the B2BUA's (sip/sip_txn.h) */
	struct call *next_by_id;	/* hash chain by id */
	uint64_t id;			/* also the media plane's cookie */
	enum call_state state;
	struct leg leg[2];
	unsigned int n_slots;		/* media slots (lines toward leg 1) */
	bool media_installed;
	bool admitted;			/* counted by admission.c */
	bool late_offer;		/* INVITE without SDP */
	bool early_answered;		/* an SDP answer came in a 18x */
	struct early_fork *forks[CALL_MAX_FORKS];	/* each allocated when seen */
	unsigned int n_forks;
	int media_fork;			/* whose early answer the media follows, -1 */
	char *late_ack_sdp;		/* answer to send in our ACK */
	uint32_t ack_wait_txn;		/* leg 0 2xx waiting for ACK */
	int target_idx;			/* proxy set target in use */
	/* The request-URI's host, a name, as RFC 3263 resolved it (a
	 * group without a proxy set); NULL until then. */
	struct sip_resolved *ruri_addrs;
	int route;			/* at setup; a reload may move rules */
	char route_name[CFG_NAME_MAX];
	uint64_t started_ms, answered_ms;
	struct ev_timer media_timer;
	struct fwd *forwards;		/* in-dialog requests relayed (b2bua_dialog.c) */
	/* Warnings a party of the call can repeat at will: an in-dialog
	 * request over the limit, an early dialog too many, an SDP we
	 * cannot use. */
	struct log_limit party_log;
	char end_reason[96];
	/* Where the call's state outlives the process (call_store.h);
	 * stored: it has a record there, removed when the call ends. */
	struct call_store *store;
	bool stored;
};

/* The SDP we last sent @l, "" if none. */
static inline const char *leg_last_body(const struct leg *l)
{
	return l->last_body ? l->last_body : "";
}

extern struct call *calls;

#endif

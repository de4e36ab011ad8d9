/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SIP transactions (RFC 3261 17): our own small layer rather than osip2's
 * state machines, because a single-threaded B2BUA wants callbacks keyed by
 * its own calls and an id it can hold without dangling pointers. It does
 * what 17.1/17.2 ask: retransmissions over UDP (timers A/E, G, 2xx until
 * ACK), timeouts (B/F/H, 64*T1), ACK for non-2xx finals, absorbing
 * retransmitted requests, CANCEL matched to its INVITE (9.2).
 *
 * Transactions are named by a non-zero id; an id that no longer exists is
 * simply not found. They live in a struct sip_txns that its owner (main()'s
 * struct srtprelayd) makes with sip_txns_new() and hands to every call, as
 * it does the transport.
 */
#ifndef SRTPRELAYD_SIP_TXN_H
#define SRTPRELAYD_SIP_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <osipparser2/osip_parser.h>

#include "sip/sip_types.h"

#define SIP_T1 500
#define SIP_T2 4000
#define SIP_TIMEOUT (64 * SIP_T1)

/*
 * A new request. @txn is its server transaction (0 for an ACK to a 2xx,
 * which has none). For CANCEL the layer has already answered 200 and @txn
 * is the INVITE's server transaction. @req stays valid during the call.
 */
typedef void (*sip_request_cb)(void *arg, uint32_t txn, osip_message_t *req,
			       const struct sip_peer *from);
/*
 * A response to a client transaction, or @resp NULL when it timed out or
 * could not be sent (treat as 408). For a server INVITE transaction whose
 * 2xx never saw an ACK, @resp is NULL too.
 */
typedef void (*sip_txn_cb)(void *arg, uint32_t txn, osip_message_t *resp);

struct transport;
struct sip_txns;
/* NULL when there is no memory or no hash key (logged). Every message
 * goes out through @tp (sip/transport.h), which must outlive the result;
 * @arg goes to every @on_request (the call layer's context). */
struct sip_txns *sip_txns_new(struct transport *tp, sip_request_cb on_request,
			      void *arg);
/* Frees every transaction left, without a callback (at exit). */
void sip_txns_free(struct sip_txns *txns);

/*
 * A new request (not a retransmission, not an ACK) before it gets a
 * server transaction: accepted, answered statelessly with *@code and
 * *@reason (no transaction, no 100, no retransmission: the answer goes
 * once, to a source that may be spoofed), or dropped without a word.
 */
enum sip_screen { SIP_SCREEN_ACCEPT, SIP_SCREEN_ANSWER, SIP_SCREEN_DROP };
typedef enum sip_screen (*sip_screen_cb)(void *arg,
					 const struct sip_peer *from,
					 osip_message_t *req, int *code,
					 const char **reason);
/* @arg is handed to every call of @cb. */
void sip_txn_set_screen(struct sip_txns *txns, sip_screen_cb cb, void *arg);
/* Where the transport receive callback ends. */
void sip_txn_receive(struct sip_txns *txns, const struct sip_peer *from,
		     const char *buf, size_t len);

/* Sends a request (its top Via carries a fresh branch); 0 if it failed. */
uint32_t sip_txn_request(struct sip_txns *txns, const struct sip_peer *to,
			 const char *buf, size_t len, sip_txn_cb cb, void *arg);
/* Shorter timeout than 64*T1 for a client transaction (probes). */
void sip_txn_set_timeout(struct sip_txns *txns, uint32_t txn, uint64_t ms);
/* CANCEL for a pending client INVITE (RFC 3261 9.1); 0 if impossible. */
uint32_t sip_txn_cancel(struct sip_txns *txns, uint32_t invite_txn,
			sip_txn_cb cb, void *arg);

int sip_txn_respond(struct sip_txns *txns, uint32_t txn, int code,
		    const char *reason, const char *to_tag, const char *extra,
		    const char *body);
/* The server transaction's request, NULL if gone. */
osip_message_t *sip_txn_request_of(const struct sip_txns *txns, uint32_t txn);
/* Final response sent or received already? */
int sip_txn_final_code(const struct sip_txns *txns, uint32_t txn);
void sip_txn_set_owner(struct sip_txns *txns, uint32_t txn, sip_txn_cb cb,
		       void *arg);
/* ACK for a 2xx arrived: stop retransmitting it. */
void sip_txn_acked(struct sip_txns *txns, uint32_t txn);
/* The owner goes away: no more callbacks to @arg. */
void sip_txn_forget(struct sip_txns *txns, void *arg);
unsigned int sip_txn_count(const struct sip_txns *txns);
/* Is there a server transaction for this top Via branch and method (is a
 * request with them a retransmission)? For screens that run before the
 * parse: @branch is @len bytes, unterminated. */
bool sip_txn_server_exists(const struct sip_txns *txns, const char *branch,
			   size_t len, const char *method);
/* Server transactions only: what peers' requests made. */
unsigned int sip_txn_server_count(const struct sip_txns *txns);

#endif

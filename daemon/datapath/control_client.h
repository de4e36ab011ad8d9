/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One client of the datapath's control socket, shared by the request
 * handler (control.c) and the server loop (control_server.c).
 *
 * Nothing here ever waits on a client. Replies are built into @tx, one
 * datagram at a time, and queued; the server sends the queue without
 * blocking. A client is read only while its queue is short (DP_TXQ_LOW)
 * and no dump is under way, so one that does not read stops being served
 * instead of growing the queue, and is dropped once nothing moves for
 * DP_CLIENT_STALL_MS. Dumps go on in slices as the queue drains, as a
 * netlink dump does across skbs.
 */
#ifndef SRTPRELAY_DATAPATH_CONTROL_CLIENT_H
#define SRTPRELAY_DATAPATH_CONTROL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "datapath.h"

#define DP_RX_LEN 8192
#define DP_TX_LEN 16384
/* Past this many queued bytes a client's dump pauses and it is not read. */
#define DP_TXQ_LOW (64 * 1024)
/* A client whose queue has not moved for this long is dropped. */
#define DP_CLIENT_STALL_MS 5000

struct dp_datagram {
	struct dp_datagram *next;
	size_t len;
	char data[];
};

struct dp_dump {
	bool active;
	uint8_t cmd;			/* SRTPRELAY_CMD_STREAM_GET or REALM_GET */
	struct nlmsghdr req;		/* for the replies' seq and port id */
	unsigned int pos;		/* entries already sent */
	uint64_t generation;		/* the table's when the dump began */
};

struct dp_client {
	int fd;
	bool events;		/* joined the events group */
	bool events_lost;	/* owes the client an ENOBUFS mark */
	bool broken;		/* out of memory for its replies: drop it */
	/* The request datagram being worked through. */
	char rx[DP_RX_LEN] __attribute__((aligned(8)));
	size_t rx_len, rx_off;
	struct dp_dump dump;
	/* The reply datagram being built, then queued whole. */
	char tx[DP_TX_LEN] __attribute__((aligned(8)));
	size_t tx_len;
	struct dp_datagram *txq, **txq_tail;
	size_t txq_bytes;
	uint64_t txq_moved_ms;	/* last time the queue drained a datagram */
};

/* control.c: answers what @client sent, as far as its queue allows. */
void dp_client_work(struct datapath *dp, struct dp_client *client);
/* control_queue.c */
void dp_client_queue_tx(struct dp_client *client);
bool dp_client_full(const struct dp_client *client);
int dp_client_send(struct dp_client *client);

#endif /* SRTPRELAY_DATAPATH_CONTROL_CLIENT_H */

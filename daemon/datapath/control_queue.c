// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A control client's reply queue (control_client.h): datagrams built by
 * the request handler, sent by the server loop as the client reads them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "control_client.h"

/**
 * dp_client_full() - whether @client has enough waiting to be sent
 * @client: the client
 *
 * Past DP_TXQ_LOW bytes a dump pauses and no further request is read.
 */
bool dp_client_full(const struct dp_client *client)
{
	return client->txq_bytes + client->tx_len >= DP_TXQ_LOW;
}

/**
 * dp_client_queue_tx() - queue the datagram being built, if any
 * @client: the client
 *
 * Out of memory, the client is marked broken and dropped: its replies
 * cannot be kept in order.
 */
void dp_client_queue_tx(struct dp_client *client)
{
	struct dp_datagram *d;

	if (!client->tx_len)
		return;
	d = malloc(sizeof(*d) + client->tx_len);
	if (!d) {
		client->broken = true;
		client->tx_len = 0;
		return;
	}
	d->next = NULL;
	d->len = client->tx_len;
	memcpy(d->data, client->tx, client->tx_len);
	if (!client->txq)
		client->txq_moved_ms = dp_now_ms();
	*client->txq_tail = d;
	client->txq_tail = &d->next;
	client->txq_bytes += d->len;
	client->tx_len = 0;
}

/**
 * dp_client_send() - send what the client's socket takes, never waiting
 * @client: the client
 *
 * Return: 0, or -errno if the client is gone.
 */
int dp_client_send(struct dp_client *client)
{
	while (client->txq) {
		struct dp_datagram *d = client->txq;

		if (send(client->fd, d->data, d->len,
			 MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		client->txq = d->next;
		if (!client->txq)
			client->txq_tail = &client->txq;
		client->txq_bytes -= d->len;
		client->txq_moved_ms = dp_now_ms();
		free(d);
	}
	return 0;
}

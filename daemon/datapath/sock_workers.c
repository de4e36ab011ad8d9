// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Socket mode's workers: one thread per core, each with its own epoll set
 * of stream sockets (sockets.c deals them out). For every socket epoll
 * reports, a worker takes its datagrams with one recvmmsg(), straight into
 * the buffers they are transformed and sent from, and takes them through
 * their streams, all under one read lock of the table (which also keeps
 * every socket open while it is used). A round ends when its sockets are
 * read or its BATCH buffers are full; then it sends: one sendmmsg() per
 * run of the same out-src socket, from the right source port, with the
 * TTL or hop limit the policy gives (IP_TTL, IPV6_HOPLIMIT) and the
 * checksum the kernel fills in.
 *
 * With io_uring (sock_ring.c, the default) a round's reads are one
 * system call and its sends another: one datagram from each socket epoll
 * reported (a socket with more is reported again, so a flooded port gets
 * no more of a round than any other), and every send in the order the
 * packets were relayed. Without it (--io syscalls, or a kernel that
 * refuses io_uring) each socket is read with recvmmsg() and each run of
 * sends from one socket is a sendmmsg().
 *
 * Why sends wait for the round: a stream's socket rarely has more than
 * one datagram waiting (50 a second per call), so a send per socket read
 * would be a send per packet, and every one of them found the receiving
 * CPU's backlog drained and paid an inter-processor interrupt (RPS: in a
 * VM a trap to the hypervisor, a quarter of the relay's time in a perf
 * profile at 300 calls). Sent back to back, the later packets of a round
 * join a backlog whose interrupt is already on its way.
 */
#include <errno.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <netinet/in.h>

#include "datapath.h"

#define BATCH 64
#define EVENTS 64
#define IDLE_MS 200	/* how soon an idle worker sees that it must stop */
#define UDP_HEADER_LEN 8
/* The whole buffer past the headroom: any UDP payload fits, so MSG_TRUNC
 * cannot happen. */
#define RX_ROOM (DP_BUF_LEN - DP_HEADROOM)

/* TTL or hop limit, and the drop count: room for both, aligned. */
union rx_control {
	char buf[2 * CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint32_t))];
	struct cmsghdr align;
};

union tx_control {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

struct dp_sock_worker {
	struct datapath *dp;
	unsigned int index;
	int cpu;		/* pinned to this CPU, -1 for none */
	int epoll_fd;
	struct dp_ring ring;		/* no entries: calls one by one */
	sem_t ready;			/* posted once the ring is made */
	pthread_t thread;
	unsigned int busy_batches;	/* since the last signal check */
	unsigned int rx_used;		/* buffers taken in this round */
	unsigned int send_count;	/* of them, to be sent */
	struct mmsghdr rx_msgs[BATCH];
	struct iovec rx_iov[BATCH];
	struct sockaddr_storage rx_from[BATCH];
	union rx_control rx_control[BATCH];
	struct mmsghdr tx_msgs[BATCH];
	struct iovec tx_iov[BATCH];
	struct sockaddr_storage tx_to[BATCH];
	union tx_control tx_control[BATCH];
	struct dp_send sends[BATCH];
	struct dp_sock *rx_sock[BATCH];	/* with the ring: whose datagram */
	struct dp_ring_call calls[BATCH];
	uint8_t buf[BATCH][DP_BUF_LEN] __attribute__((aligned(64)));
};

/* What the kernel told about a datagram besides its bytes. */
struct rx_info {
	int ttl;		/* -1: not given */
	/* The socket's drop count when the datagram was queued; the kernel
	 * gives it only once it is not 0, and it never goes down. */
	uint32_t drops;
};

static void rx_info_read(struct msghdr *msg, struct rx_info *info)
{
	info->ttl = -1;
	info->drops = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		     c->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&info->ttl, CMSG_DATA(c), sizeof(int));
		} else if (c->cmsg_level == SOL_SOCKET &&
			   c->cmsg_type == SO_RXQ_OVFL) {
			memcpy(&info->drops, CMSG_DATA(c), sizeof(uint32_t));
		}
	}
}

/*
 * One received datagram through its stream. The UDP header the policy
 * looks at is rebuilt in front of the payload: the kernel has verified
 * the checksum (csum_verified), so only its ports and length are read.
 */
static void relay_one(struct dp_sock_worker *w, struct dp_sock *sock,
		      unsigned int i)
{
	uint8_t *payload = w->buf[i] + DP_HEADROOM;
	uint8_t *udp = payload - UDP_HEADER_LEN;
	unsigned int len = w->rx_msgs[i].msg_len;
	struct dp_rx d = { .dst = sock->addr };
	struct rx_info info;
	uint16_t field;

	rx_info_read(&w->rx_msgs[i].msg_hdr, &info);
	if (info.drops != sock->drops_seen) {
		dp_count_socket_drops(w->dp, w->index, &sock->addr,
				      info.drops - sock->drops_seen);
		sock->drops_seen = info.drops;
	}
	if (w->rx_msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
		return;	/* cannot be: the buffer holds any datagram */
	dp_addr_from_sockaddr(&d.src, &w->rx_from[i]);
	field = htons(d.src.port);
	memcpy(udp, &field, 2);
	field = htons(d.dst.port);
	memcpy(udp + 2, &field, 2);
	field = htons((uint16_t)(len + UDP_HEADER_LEN));
	memcpy(udp + 4, &field, 2);
	memset(udp + 6, 0, 2);
	d.pkt = (struct pp_packet){
		.src = { d.src.addr, d.src.family },
		.dst = { d.dst.addr, d.dst.family },
		.udp = udp,
		.udp_len = len + UDP_HEADER_LEN,
		/* not given (it always is): dropped as expired, not relayed */
		.ttl = info.ttl < 0 || info.ttl > 255 ? 0 : (uint8_t)info.ttl,
		.csum_verified = true,
	};
	d.payload = payload;
	d.payload_len = len;
	if (dp_rx_handle(w->dp, w->index, &d, w->buf[i],
			 &w->sends[w->send_count]) == DP_SEND)
		w->send_count++;
	/* DP_PASS has nowhere to go: no one else has the port. Counted. */
}

/*
 * The round's calls through the ring. Should the ring fail, the worker
 * goes on without it, and the calls the ring did not take are made here.
 */
static void ring_run(struct dp_sock_worker *w, unsigned int count)
{
	int ret = dp_ring_run(&w->ring, w->calls, count);

	if (!ret)
		return;
	fprintf(stderr, "datapath: worker %u: io_uring: %s; one call per socket from now on\n",
		w->index, strerror(-ret));
	for (unsigned int i = 0; i < count; i++) {
		struct dp_ring_call *call = &w->calls[i];
		ssize_t n;

		if (call->res != -ECANCELED)
			continue;
		n = call->send ? sendmsg(call->fd, call->msg, MSG_DONTWAIT) :
				 recvmsg(call->fd, call->msg, MSG_DONTWAIT);
		call->res = n < 0 ? -errno : (int)n;
	}
}

static void rx_reset(struct dp_sock_worker *w, unsigned int i)
{
	struct msghdr *msg = &w->rx_msgs[i].msg_hdr;

	msg->msg_namelen = sizeof(w->rx_from[i]);
	msg->msg_controllen = sizeof(w->rx_control[i].buf);
	msg->msg_flags = 0;
}

/*
 * With the ring: a datagram from each socket of @events, as many as the
 * round's buffers take (it starts with all free), in one call; the
 * table's read lock is held. Call i reads into buffer i.
 */
static void receive_ring(struct dp_sock_worker *w,
			 const struct epoll_event *events, int n)
{
	unsigned int count = 0;

	for (int i = 0; i < n && count < BATCH; i++) {
		struct dp_sock *sock = dp_sock_of_event(&w->dp->socks,
							events[i].data.u64);

		if (!sock)
			continue;
		rx_reset(w, count);
		w->rx_sock[count] = sock;
		w->calls[count] = (struct dp_ring_call){
			.fd = sock->fd,
			.msg = &w->rx_msgs[count].msg_hdr,
		};
		count++;
	}
	ring_run(w, count);
	w->rx_used = count;
	for (unsigned int i = 0; i < count; i++) {
		int res = w->calls[i].res;

		/* -EAGAIN: read in an earlier round since epoll told */
		if (res < 0)
			continue;
		w->rx_msgs[i].msg_len = (unsigned int)res;
		relay_one(w, w->rx_sock[i], i);
	}
}

static void tx_prepare(struct dp_sock_worker *w, unsigned int i)
{
	const struct dp_send *send = &w->sends[i];
	struct msghdr *msg = &w->tx_msgs[i].msg_hdr;
	struct cmsghdr *c;
	int ttl = send->ttl;

	dp_addr_to_sockaddr(&send->dst, &w->tx_to[i]);
	w->tx_iov[i] = (struct iovec){ send->payload, send->payload_len };
	*msg = (struct msghdr){
		.msg_name = &w->tx_to[i],
		.msg_namelen = send->dst.family == AF_INET ?
			sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6),
		.msg_iov = &w->tx_iov[i],
		.msg_iovlen = 1,
		.msg_control = w->tx_control[i].buf,
		.msg_controllen = sizeof(w->tx_control[i].buf),
	};
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = send->dst.family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	c->cmsg_type = send->dst.family == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &ttl, sizeof(int));
}

/*
 * Sends the @count messages from @first on @fd; what the kernel refuses is
 * counted on its stream.
 */
static void tx_run(struct dp_sock_worker *w, int fd, unsigned int first,
		   unsigned int count)
{
	unsigned int sent = 0;

	while (sent < count) {
		int ret = sendmmsg(fd, w->tx_msgs + first + sent, count - sent,
				   0);

		if (ret <= 0) {
			/* Skip the packet refused (no route, buffer full...). */
			dp_tx_refused(w->dp, w->index,
				      &w->sends[first + sent]);
			sent++;
			continue;
		}
		sent += (unsigned int)ret;
	}
}

/* With the ring: all the round's packets in one call. */
static void transmit_ring(struct dp_sock_worker *w)
{
	unsigned int count = w->send_count;

	for (unsigned int i = 0; i < count; i++)
		w->calls[i] = (struct dp_ring_call){
			.fd = w->sends[i].fd,
			.send = true,
			.msg = &w->tx_msgs[i].msg_hdr,
		};
	ring_run(w, count);
	for (unsigned int i = 0; i < count; i++)
		if (w->calls[i].res < 0)
			dp_tx_refused(w->dp, w->index, &w->sends[i]);
}

/* Without the ring: one sendmmsg() per run of the same out-src socket. */
static void transmit_calls(struct dp_sock_worker *w)
{
	unsigned int start = 0, count = w->send_count;

	while (start < count) {
		unsigned int end = start + 1;

		while (end < count && w->sends[end].fd == w->sends[start].fd)
			end++;
		tx_run(w, w->sends[start].fd, start, end - start);
		start = end;
	}
}

/* The round's packets, through the ring or not; the buffers are free
 * again after it. */
static void transmit(struct dp_sock_worker *w)
{
	for (unsigned int i = 0; i < w->send_count; i++)
		tx_prepare(w, i);
	if (w->ring.entries)
		transmit_ring(w);
	else
		transmit_calls(w);
	w->rx_used = w->send_count = 0;
}

/*
 * A socket's waiting datagrams, as many as the free buffers take (epoll
 * reports it again for the rest); the table's read lock is held.
 */
static void relay_socket(struct dp_sock_worker *w, struct dp_sock *sock)
{
	unsigned int first;
	int count;

	first = w->rx_used;
	for (unsigned int i = first; i < BATCH; i++)
		rx_reset(w, i);
	count = recvmmsg(sock->fd, w->rx_msgs + first, BATCH - first,
			 MSG_DONTWAIT, NULL);
	if (count <= 0)
		return;
	w->rx_used += (unsigned int)count;
	for (unsigned int i = first; i < w->rx_used; i++)
		relay_one(w, sock, i);
}

/*
 * Without the ring: the sockets of @events, each with one recvmmsg(); the
 * table's read lock is held.
 */
static void receive_calls(struct dp_sock_worker *w,
			  const struct epoll_event *events, int n)
{
	for (int i = 0; i < n; i++) {
		struct dp_sock *sock = dp_sock_of_event(&w->dp->socks,
							events[i].data.u64);

		/* At most BATCH packets a round, as NFQUEUE's workers take:
		 * a round between two looks at the stop flag stays short
		 * however many sockets are ready (epoll reports the rest
		 * again). */
		if (w->rx_used == BATCH)
			break;
		if (sock)
			relay_socket(w, sock);
	}
}

/* The worker's ring, made by the thread that uses it; said if refused. */
static void ring_start(struct dp_sock_worker *w)
{
	int ret = dp_ring_init(&w->ring, BATCH);

	if (ret)
		fprintf(stderr, "datapath: worker %u: no io_uring (%s): one call per socket\n",
			w->index, strerror(-ret));
}

static void *worker_main(void *arg)
{
	struct dp_sock_worker *w = arg;
	struct datapath *dp = w->dp;
	struct epoll_event events[EVENTS];
	bool idle = true;
	cpu_set_t cpus;

	if (w->cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(w->cpu, &cpus);
		pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	}
	for (unsigned int i = 0; i < BATCH; i++) {
		w->rx_iov[i] = (struct iovec){ w->buf[i] + DP_HEADROOM, RX_ROOM };
		w->rx_msgs[i].msg_hdr = (struct msghdr){
			.msg_name = &w->rx_from[i],
			.msg_iov = &w->rx_iov[i],
			.msg_iovlen = 1,
			.msg_control = w->rx_control[i].buf,
		};
	}
	if (dp->io_uring)
		ring_start(w);
	sem_post(&w->ready);
	while (!dp_worker_stopping(dp, &w->busy_batches, idle)) {
		int n = epoll_wait(w->epoll_fd, events, EVENTS, IDLE_MS);

		idle = n <= 0;
		if (idle)
			continue;
		pthread_rwlock_rdlock(&dp->table.lock);
		if (w->ring.entries)
			receive_ring(w, events, n);
		else
			receive_calls(w, events, n);
		transmit(w);
		pthread_rwlock_unlock(&dp->table.lock);
	}
	dp_ring_exit(&w->ring);
	return NULL;
}

/**
 * dp_sock_workers_start() - start socket mode's workers
 * @dp: the datapath; dp->socks is set up for @count workers
 * @count: how many
 *
 * Return: 0 or a negative errno (the workers started are left running
 * for dp_sock_workers_stop()).
 */
int dp_sock_workers_start(struct datapath *dp, unsigned int count)
{
	int ret = 0;

	dp->worker_count = 0;
	for (unsigned int i = 0; i < count && !ret; i++) {
		struct dp_sock_worker *w = calloc(1, sizeof(*w));

		if (!w)
			return -ENOMEM;
		w->dp = dp;
		w->index = i;
		w->cpu = dp_worker_cpu(i);
		w->epoll_fd = dp->socks.epoll_fd[i];
		sem_init(&w->ready, 0, 0);
		ret = -pthread_create(&w->thread, NULL, worker_main, w);
		if (ret) {
			fprintf(stderr, "datapath: socket worker %u: %s\n", i,
				strerror(-ret));
			sem_destroy(&w->ready);
			free(w);
			break;
		}
		/* Its ring is made (or refused) before we say how we run. */
		while (sem_wait(&w->ready) && errno == EINTR)
			;
		dp->sock_workers[i] = w;
		dp->worker_count++;
	}
	return ret;
}

/**
 * dp_sock_workers_with_ring() - how many workers batch through io_uring
 * @dp: the datapath, its workers started
 *
 * Return: that number (the others make a call per socket).
 */
unsigned int dp_sock_workers_with_ring(const struct datapath *dp)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < dp->worker_count; i++)
		count += dp->sock_workers[i]->ring.entries != 0;
	return count;
}

void dp_sock_workers_stop(struct datapath *dp)
{
	dp_stop(dp);
	for (unsigned int i = 0; i < dp->worker_count; i++) {
		pthread_join(dp->sock_workers[i]->thread, NULL);
		sem_destroy(&dp->sock_workers[i]->ready);
		free(dp->sock_workers[i]);
		dp->sock_workers[i] = NULL;
	}
	dp->worker_count = 0;
}

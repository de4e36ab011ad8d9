// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The UDP sockets of socket mode: one per local address and port a stream
 * receives on (its RTP port, its RTCP port) or sends from (its out-src and
 * out-src + 1), bound when the first stream needs it and closed when the
 * last one lets it go, all under the table's write lock. Two streams that
 * share an address (one leg's out-src is the other leg's local port, as in
 * every call) share its socket, counted.
 *
 * Each socket belongs to one worker, whose epoll set watches it. A worker
 * finds the socket of an epoll event by slot and generation, under the
 * read lock: an event reported just before the socket was closed (and its
 * descriptor perhaps reused) names a slot that is empty or newer, and is
 * skipped, so a worker never reads a socket of another stream.
 *
 * The kernel's UDP stack hands us datagrams: reassembled, with a verified
 * checksum (a wrong one is dropped there, and we learn of it from the
 * socket's drop count, SO_RXQ_OVFL), with the TTL or hop limit they came
 * with (IP_RECVTTL, IPV6_RECVHOPLIMIT). No netfilter rule is needed: a
 * port nobody has a stream on has no socket, and the kernel answers it as
 * it answers any closed port.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <linux/filter.h>

#include "datapath.h"

#define SOCK_BUCKETS 16384
#define SLOTS_MIN 256

int dp_socks_init(struct dp_socks *socks, unsigned int workers)
{
	memset(socks, 0, sizeof(*socks));
	for (unsigned int i = 0; i < DP_MAX_WORKERS; i++)
		socks->epoll_fd[i] = -1;
	socks->buckets = calloc(SOCK_BUCKETS, sizeof(*socks->buckets));
	if (!socks->buckets)
		return -ENOMEM;
	socks->workers = workers;
	for (unsigned int i = 0; i < workers; i++) {
		socks->epoll_fd[i] = epoll_create1(EPOLL_CLOEXEC);
		if (socks->epoll_fd[i] < 0)
			return -errno;
	}
	return 0;
}

void dp_socks_destroy(struct dp_socks *socks)
{
	/* Streams are gone by now, and with them every socket. */
	for (unsigned int i = 0; i < DP_MAX_WORKERS; i++)
		if (socks->epoll_fd[i] >= 0)
			close(socks->epoll_fd[i]);
	free(socks->buckets);
	free(socks->slots);
	free(socks->free_slots);
}

static struct dp_sock **bucket_of(struct dp_socks *socks,
				  const struct dp_addr *addr)
{
	return &socks->buckets[dp_addr_hash(addr) % SOCK_BUCKETS];
}

/* A free slot, growing the array when none is left. */
static int slot_take(struct dp_socks *socks, uint32_t *slot)
{
	if (!socks->free_count) {
		uint32_t cap = socks->slot_cap ? socks->slot_cap * 2 : SLOTS_MIN;
		struct dp_sock **slots;
		uint32_t *free_slots;

		slots = realloc(socks->slots, cap * sizeof(*slots));
		if (!slots)
			return -ENOMEM;
		socks->slots = slots;
		free_slots = realloc(socks->free_slots,
				     cap * sizeof(*free_slots));
		if (!free_slots)
			return -ENOMEM;
		socks->free_slots = free_slots;
		/* Pushed highest first, so that the lowest is taken first. */
		for (uint32_t i = cap; i-- > socks->slot_cap;) {
			slots[i] = NULL;
			free_slots[socks->free_count++] = i;
		}
		socks->slot_cap = cap;
	}
	*slot = socks->free_slots[--socks->free_count];
	return 0;
}

static int set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? -errno : 0;
}

/*
 * A filter that keeps every datagram. With any filter attached the kernel
 * verifies a datagram's checksum before it queues it, not when we read it
 * (udp_queue_rcv_one_skb()), so the drop a wrong one costs is in the drop
 * count the next datagram carries: counted when the copy arrives, not
 * some datagrams later.
 */
static int keep_all(int fd)
{
	struct sock_filter accept = BPF_STMT(BPF_RET | BPF_K, 0xffffffff);
	struct sock_fprog prog = { .len = 1, .filter = &accept };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog)) < 0 ? -errno : 0;
}

/*
 * Room for a burst: the default receive buffer (rmem_default, about 200
 * datagrams of media) overflows when a worker is kept from its CPU for a
 * moment, where NFQUEUE mode's queue holds 8192. The kernel's udp_mem
 * still bounds all sockets together. Forced past rmem_max where we may
 * (CAP_NET_ADMIN), else as much as rmem_max allows.
 */
#define SOCK_RCVBUF (1 << 20)

static void room_for_bursts(int fd)
{
	if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, SOCK_RCVBUF))
		set_int(fd, SOL_SOCKET, SO_RCVBUF, SOCK_RCVBUF);
}

/* A non-blocking UDP socket bound to @addr, reporting TTL and drops. */
static int sock_open(const struct dp_addr *addr, const char **why)
{
	struct sockaddr_storage ss;
	bool v6 = addr->family == AF_INET6;
	int fd, ret;

	dp_addr_to_sockaddr(addr, &ss);
	fd = socket(addr->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		*why = ret == -EMFILE || ret == -ENFILE ?
			"no descriptor left for the stream's socket (RLIMIT_NOFILE)" :
			"cannot open a UDP socket for the stream";
		return ret;
	}
	room_for_bursts(fd);
	/* As the module and NFQUEUE mode take a stream on any address of a
	 * realm: one that comes up later (a failover address) is bound now. */
	ret = set_int(fd, IPPROTO_IP, IP_FREEBIND, 1);
	if (!ret)
		ret = set_int(fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
	if (!ret)
		ret = keep_all(fd);
	if (!ret)
		ret = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) :
			   set_int(fd, IPPROTO_IP, IP_RECVTTL, 1);
	if (!ret && v6)
		ret = set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
	if (ret) {
		*why = "cannot set up a UDP socket for the stream";
		close(fd);
		return ret;
	}
	if (bind(fd, (struct sockaddr *)&ss,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) < 0) {
		ret = -errno;
		*why = ret == -EADDRINUSE ?
			"a local port of the stream is bound by another program" :
			"cannot bind a local address and port of the stream";
		close(fd);
		return ret;
	}
	return fd;
}

/**
 * dp_sock_hold() - the socket bound to an address, opened if need be
 * @socks: the socket table; the table's write lock is held
 * @addr: local address and port
 * @out: the socket, with one more reference
 * @why: set to the reason on failure
 *
 * Return: 0 or a negative errno.
 */
int dp_sock_hold(struct dp_socks *socks, const struct dp_addr *addr,
		 struct dp_sock **out, const char **why)
{
	struct dp_sock **bucket = bucket_of(socks, addr), *sock;
	struct epoll_event event = { .events = EPOLLIN };
	int ret;

	for (sock = *bucket; sock; sock = sock->next)
		if (!memcmp(&sock->addr, addr, sizeof(*addr))) {
			sock->refs++;
			*out = sock;
			return 0;
		}
	sock = calloc(1, sizeof(*sock));
	if (!sock)
		return -ENOMEM;
	ret = slot_take(socks, &sock->slot);
	if (ret) {
		free(sock);
		return ret;
	}
	sock->fd = sock_open(addr, why);
	if (sock->fd < 0) {
		ret = sock->fd;
		socks->free_slots[socks->free_count++] = sock->slot;
		free(sock);
		return ret;
	}
	sock->addr = *addr;
	sock->refs = 1;
	sock->generation = ++socks->generation;
	sock->worker = sock->slot % socks->workers;
	event.data.u64 = (uint64_t)sock->generation << 32 | sock->slot;
	if (epoll_ctl(socks->epoll_fd[sock->worker], EPOLL_CTL_ADD, sock->fd,
		      &event) < 0) {
		ret = -errno;
		*why = "cannot watch the stream's socket (epoll)";
		close(sock->fd);
		socks->free_slots[socks->free_count++] = sock->slot;
		free(sock);
		return ret;
	}
	socks->slots[sock->slot] = sock;
	sock->next = *bucket;
	*bucket = sock;
	socks->count++;
	*out = sock;
	return 0;
}

/**
 * dp_sock_put() - drop a reference; the last one closes the socket
 * @socks: the socket table; the table's write lock is held
 * @sock: the socket, or NULL for none
 */
void dp_sock_put(struct dp_socks *socks, struct dp_sock *sock)
{
	struct dp_sock **link;

	if (!sock || --sock->refs)
		return;
	for (link = bucket_of(socks, &sock->addr); *link; link = &(*link)->next)
		if (*link == sock) {
			*link = sock->next;
			break;
		}
	/* Closing takes it out of its epoll set too. */
	close(sock->fd);
	socks->slots[sock->slot] = NULL;
	socks->free_slots[socks->free_count++] = sock->slot;
	socks->count--;
	free(sock);
}

/**
 * dp_sock_of_event() - the socket an epoll event is about
 * @socks: the socket table; the table's read lock is held
 * @data: the event's data
 *
 * Return: the socket, or NULL when it was closed since.
 */
struct dp_sock *dp_sock_of_event(struct dp_socks *socks, uint64_t data)
{
	uint32_t slot = (uint32_t)data;
	struct dp_sock *sock;

	if (slot >= socks->slot_cap)
		return NULL;
	sock = socks->slots[slot];
	return sock && sock->generation == (uint32_t)(data >> 32) ? sock : NULL;
}

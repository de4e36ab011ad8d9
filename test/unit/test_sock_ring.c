// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Socket mode's batched calls (daemon/datapath/sock_ring.c) on real UDP
 * sockets over loopback: a round's sends and reads, each in one call; an
 * empty socket and a full one answer at once rather than waiting in the
 * ring; a ring that fails says which calls it never made.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../../daemon/datapath/sock_ring.c"
#include "testing.h"

#define SOCKS 4

struct peer {
	int fd;
	struct sockaddr_in addr;
};

/* A non-blocking UDP socket on 127.0.0.1 and a port the kernel picks. */
static int peer_open(struct peer *p)
{
	socklen_t len = sizeof(p->addr);

	p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (p->fd < 0)
		return -1;
	memset(&p->addr, 0, sizeof(p->addr));
	p->addr.sin_family = AF_INET;
	p->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(p->fd, (struct sockaddr *)&p->addr, sizeof(p->addr)) ||
	    getsockname(p->fd, (struct sockaddr *)&p->addr, &len))
		return -1;
	return 0;
}

struct message {
	struct msghdr msg;
	struct iovec iov;
	struct sockaddr_in name;
	char buf[64];
};

static void message_init(struct message *m, const struct sockaddr_in *to,
			 const char *text)
{
	memset(m, 0, sizeof(*m));
	if (text)
		snprintf(m->buf, sizeof(m->buf), "%s", text);
	m->iov = (struct iovec){ m->buf, text ? strlen(text) : sizeof(m->buf) };
	if (to)
		m->name = *to;
	m->msg = (struct msghdr){
		.msg_name = &m->name,
		.msg_namelen = sizeof(m->name),
		.msg_iov = &m->iov,
		.msg_iovlen = 1,
	};
}

static bool ring_or_skip(struct dp_ring *ring)
{
	int ret = dp_ring_init(ring, 64);

	if (ret)
		printf("    no io_uring here (%s): the datapath would make a call per socket\n",
		       strerror(-ret));
	return !ret;
}

static void sends_and_reads_of_many_sockets_in_one_call_each(void)
{
	struct peer from[SOCKS], to[SOCKS];
	struct message out[SOCKS], in[SOCKS + 1];
	struct dp_ring_call calls[SOCKS + 1];
	struct dp_ring ring;
	char want[16];
	unsigned int i;

	for (i = 0; i < SOCKS; i++)
		CHECK(!peer_open(&from[i]) && !peer_open(&to[i]), "sockets: %s",
		      strerror(errno));
	if (!ring_or_skip(&ring))
		return;
	for (i = 0; i < SOCKS; i++) {
		snprintf(want, sizeof(want), "packet %u", i);
		message_init(&out[i], &to[i].addr, want);
		calls[i] = (struct dp_ring_call){
			.fd = from[i].fd, .send = true, .msg = &out[i].msg };
	}
	CHECK(dp_ring_run(&ring, calls, SOCKS) == 0, "the sends' ring failed");
	for (i = 0; i < SOCKS; i++)
		CHECK(calls[i].res == (int)strlen(out[i].buf), "send %u: %d", i,
		      calls[i].res);
	/* Each socket read once, and the first once more: it has nothing. */
	for (i = 0; i <= SOCKS; i++) {
		message_init(&in[i], NULL, NULL);
		calls[i] = (struct dp_ring_call){ .fd = to[i % SOCKS].fd,
						  .msg = &in[i].msg };
	}
	CHECK(dp_ring_run(&ring, calls, SOCKS + 1) == 0, "the reads' ring failed");
	for (i = 0; i < SOCKS; i++) {
		snprintf(want, sizeof(want), "packet %u", i);
		CHECK(calls[i].res == (int)strlen(want) &&
		      !memcmp(in[i].buf, want, strlen(want)),
		      "read %u: %d bytes", i, calls[i].res);
		CHECK(in[i].name.sin_port == from[i].addr.sin_port,
		      "read %u: the sender's port is not its source", i);
	}
	CHECK(calls[SOCKS].res == -EAGAIN,
	      "an empty socket answered %d, not -EAGAIN at once", calls[SOCKS].res);
	CHECK(ring.entries == 64, "the ring went away after a normal round");
	dp_ring_exit(&ring);
	for (i = 0; i < SOCKS; i++) {
		close(from[i].fd);
		close(to[i].fd);
	}
}

/*
 * A socket with no room answers -EAGAIN: the ring does not hold the call
 * (and the round's buffers) until there is room. A unix datagram pair
 * fills when its reader does not read (loopback UDP frees the sender's
 * buffer at once and drops at the receiver instead).
 */
static void a_full_socket_answers_at_once(void)
{
	struct message out;
	struct dp_ring_call call;
	struct dp_ring ring;
	int pair[2], full = 0;

	CHECK(!socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pair),
	      "socketpair: %s", strerror(errno));
	message_init(&out, NULL, "filler");
	out.msg.msg_name = NULL;
	out.msg.msg_namelen = 0;
	for (int i = 0; i < 100000 && !full; i++)
		full = sendmsg(pair[0], &out.msg, MSG_DONTWAIT) < 0 &&
		       errno == EAGAIN;
	CHECK(full, "the pair never filled");
	if (!full || !ring_or_skip(&ring))
		return;
	call = (struct dp_ring_call){ .fd = pair[0], .send = true,
				     .msg = &out.msg };
	CHECK(dp_ring_run(&ring, &call, 1) == 0, "the ring failed");
	CHECK(call.res == -EAGAIN, "a full socket answered %d, not -EAGAIN",
	      call.res);
	dp_ring_exit(&ring);
	close(pair[0]);
	close(pair[1]);
}

/* A ring that cannot take the round (its descriptor gone) reports every
 * call as never made, so that the worker makes them itself, and is torn
 * down so that nothing left in it goes out later. */
static void a_failed_ring_says_which_calls_it_never_made(void)
{
	struct peer from, to;
	struct message out;
	struct dp_ring_call call;
	struct dp_ring ring;
	int ret;

	CHECK(!peer_open(&from) && !peer_open(&to), "sockets: %s",
	      strerror(errno));
	if (!ring_or_skip(&ring))
		return;
	message_init(&out, &to.addr, "never sent by the ring");
	call = (struct dp_ring_call){ .fd = from.fd, .send = true,
				     .msg = &out.msg };
	close(ring.uring.ring_fd);
	ret = dp_ring_run(&ring, &call, 1);
	CHECK(ret < 0, "a ring without its descriptor answered %d", ret);
	CHECK(call.res == -ECANCELED, "the call reported %d, not -ECANCELED",
	      call.res);
	CHECK(ring.entries == 0, "the failed ring was kept");
	CHECK(recv(to.fd, out.buf, sizeof(out.buf), MSG_DONTWAIT) < 0,
	      "the ring sent the call after all");
	close(from.fd);
	close(to.fd);
}

int main(void)
{
	/* A call that waited in the ring would hang the case: end it. */
	alarm(20);
	RUN(sends_and_reads_of_many_sockets_in_one_call_each,
	    "one call sends from 4 sockets, one reads them (and an empty one)");
	RUN(a_full_socket_answers_at_once,
	    "a send on a full socket answers -EAGAIN, not later");
	RUN(a_failed_ring_says_which_calls_it_never_made,
	    "a ring that fails reports its calls as not made and is torn down");
	return testing_summary();
}

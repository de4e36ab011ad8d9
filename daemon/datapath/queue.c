// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * NFQUEUE workers: one thread per core, each with its own queue (the
 * steering rule fans out by CPU), its own netlink socket and raw sockets.
 * A worker takes up to BATCH packets per recvmmsg(), transforms them under
 * one read lock of the stream table, sends the results with one sendmmsg()
 * per address family, and answers every packet's verdict in one write.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include "datapath.h"

#define BATCH 64
/* One queued packet, netlink headers and data: up to 65535 bytes of IP
 * (a 64K-MTU loopback), the copy range asked for.
 */
#define RX_SLOT (65536 + 512)
#define VERDICT_LEN 64		/* one verdict message */
/*
 * A busy worker looks for SIGTERM every this many batches: at most 16 x 64
 * packets, a few milliseconds, after it came; sigpending() for each batch
 * would have every worker take the process's signal lock for every few
 * packets at moderate rates.
 */
#define STOP_CHECK_BATCHES 16

struct worker {
	struct datapath *dp;
	unsigned int index;
	uint16_t queue;
	int cpu;		/* pinned to this CPU, -1 for none */
	struct mnl_socket *nl;
	uint32_t portid;
	int raw4, raw6;
	pthread_t thread;
	unsigned int busy_batches;	/* since the last signal check */
	uint8_t rx[BATCH][RX_SLOT] __attribute__((aligned(8)));
	uint8_t tx[BATCH][DP_BUF_LEN];
	struct dp_send sends[BATCH];
	char verdicts[BATCH * VERDICT_LEN] __attribute__((aligned(8)));
	size_t verdicts_len;
};

static struct worker *workers[DP_MAX_WORKERS];

static int queue_config(struct worker *w, uint8_t cmd, bool params)
{
	char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, w->queue);

	nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, cmd);
	if (params) {
		nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
		nfq_nlmsg_cfg_put_qmaxlen(nlh, 8192);
	}
	return mnl_socket_sendto(w->nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

static int worker_open(struct worker *w)
{
	struct timeval idle = { 0, 200 * 1000 };
	int one = 1, size = 8 << 20;

	w->nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!w->nl || mnl_socket_bind(w->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	w->portid = mnl_socket_get_portid(w->nl);
	/* A burst beyond the buffer is dropped, not reported as ENOBUFS. */
	mnl_socket_setsockopt(w->nl, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(w->nl), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		   sizeof(size));
	/* recvmmsg() checks its timeout only between datagrams, and SIGTERM
	 * is blocked (stop.c): this receive timeout is what bounds how long
	 * an idle worker takes to see it must stop, so it is not optional.
	 */
	if (setsockopt(mnl_socket_get_fd(w->nl), SOL_SOCKET, SO_RCVTIMEO,
		       &idle, sizeof(idle)) < 0)
		return -errno;
	if (queue_config(w, NFQNL_CFG_CMD_BIND, true) < 0)
		return -errno;

	/* IPPROTO_RAW implies IP_HDRINCL: we write the whole IP header. */
	w->raw4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	w->raw6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (w->raw4 < 0 || w->raw6 < 0)
		return -errno;
	if (setsockopt(w->raw6, IPPROTO_IPV6, IPV6_HDRINCL, &one,
		       sizeof(one)) < 0)
		return -errno;
	return 0;
}

static void add_verdict(struct worker *w, uint32_t id, int verdict)
{
	struct nlmsghdr *nlh = nfq_nlmsg_put(w->verdicts + w->verdicts_len,
					     NFQNL_MSG_VERDICT, w->queue);

	nfq_nlmsg_verdict_put(nlh, (int)id, verdict);
	w->verdicts_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

struct batch {
	struct worker *w;
	unsigned int sends;
};

static int packet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct batch *batch = data;
	struct worker *w = batch->w;
	struct nlattr *attr[NFQA_MAX + 1] = { NULL };
	struct nfqnl_msg_packet_hdr *hdr;
	enum dp_verdict verdict;
	uint32_t id, info = 0;

	if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR])
		return MNL_CB_OK;
	hdr = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	id = ntohl(hdr->packet_id);
	if (!attr[NFQA_PAYLOAD]) {
		add_verdict(w, id, NF_ACCEPT);
		return MNL_CB_OK;
	}
	/* Without the flag the device or the stack verified the checksum, or
	 * the packet was made on this host and its checksum is not filled in
	 * yet (NFQA_SKB_CSUMNOTREADY): nothing to verify either way.
	 */
	if (attr[NFQA_SKB_INFO])
		info = ntohl(mnl_attr_get_u32(attr[NFQA_SKB_INFO]));
	verdict = dp_packet_handle(w->dp, w->index,
				   mnl_attr_get_payload(attr[NFQA_PAYLOAD]),
				   mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]),
				   !(info & NFQA_SKB_CSUM_NOTVERIFIED),
				   w->tx[batch->sends], &w->sends[batch->sends]);
	if (verdict == DP_SEND)
		batch->sends++;
	add_verdict(w, id, verdict == DP_PASS ? NF_ACCEPT : NF_DROP);
	return MNL_CB_OK;
}

/* Sends the batch's packets of one family; failures are counted. */
static void transmit(struct worker *w, unsigned int count, int family)
{
	const struct dp_send *of[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned int n = 0, sent = 0;
	int fd = family == AF_INET ? w->raw4 : w->raw6;

	for (unsigned int i = 0; i < count; i++) {
		struct dp_send *send = &w->sends[i];

		if (send->src.family != family)
			continue;
		of[n] = send;
		iov[n] = (struct iovec){ send->ip, send->len };
		msgs[n] = (struct mmsghdr){ .msg_hdr = {
			.msg_name = &send->sa,
			.msg_namelen = family == AF_INET ?
				sizeof(struct sockaddr_in) :
				sizeof(struct sockaddr_in6),
			.msg_iov = &iov[n],
			.msg_iovlen = 1,
		} };
		n++;
	}
	while (sent < n) {
		int ret = sendmmsg(fd, msgs + sent, n - sent, 0);

		if (ret <= 0) {
			/* Skip the packet the kernel refused (no route...). */
			dp_tx_refused(w->dp, w->index, of[sent]);
			sent++;
			continue;
		}
		sent += (unsigned int)ret;
	}
}

/*
 * The pending signal is looked for here too, not only by the control
 * thread, which may never run while this worker is busy (stop.c). @idle:
 * the last receive timed out, so a check costs nothing that matters.
 * Either mode's workers ask it between batches.
 */
bool dp_worker_stopping(struct datapath *dp, unsigned int *busy_batches,
			bool idle)
{
	if (dp_stopping(dp))
		return true;
	if (!idle && ++*busy_batches < STOP_CHECK_BATCHES)
		return false;
	*busy_batches = 0;
	return dp_stop_requested(dp);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	int fd = mnl_socket_get_fd(w->nl);
	bool idle = true;
	cpu_set_t cpus;

	if (w->cpu >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(w->cpu, &cpus);
		pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	}
	for (unsigned int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ w->rx[i], RX_SLOT };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
							 .msg_iovlen = 1 } };
	}
	while (!dp_worker_stopping(w->dp, &w->busy_batches, idle)) {
		struct batch batch = { .w = w };
		int count = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);

		idle = count <= 0;
		if (idle)
			continue;
		w->verdicts_len = 0;
		pthread_rwlock_rdlock(&w->dp->table.lock);
		for (int i = 0; i < count; i++)
			mnl_cb_run(w->rx[i], msgs[i].msg_len, 0, w->portid,
				   packet_cb, &batch);
		/* Under the read lock still: a refusal is counted on its
		 * stream, which a delete must not free meanwhile. */
		transmit(w, batch.sends, AF_INET);
		transmit(w, batch.sends, AF_INET6);
		pthread_rwlock_unlock(&w->dp->table.lock);
		if (w->verdicts_len)
			mnl_socket_sendto(w->nl, w->verdicts, w->verdicts_len);
	}
	return NULL;
}

static void worker_close(struct worker *w)
{
	if (w->nl) {
		queue_config(w, NFQNL_CFG_CMD_UNBIND, false);
		mnl_socket_close(w->nl);
	}
	if (w->raw4 > 0)
		close(w->raw4);
	if (w->raw6 > 0)
		close(w->raw6);
	free(w);
}

/*
 * Worker i goes to the i-th CPU the process may run on (wrapping), so
 * that "taskset -c 3 srtprelay-datapath -w 1" runs its worker on CPU 3,
 * not on CPU 0 whatever it was given. Asked before any worker pins itself.
 */
int dp_worker_cpu(unsigned int index)
{
	cpu_set_t allowed;
	int n, seen = 0;

	CPU_ZERO(&allowed);
	if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
		return -1;
	n = CPU_COUNT(&allowed);
	if (n <= 0)
		return -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed) && seen++ == (int)(index % (unsigned int)n))
			return cpu;
	return -1;
}

int dp_workers_start(struct datapath *dp, unsigned int count)
{
	int ret = 0;

	dp->worker_count = 0;
	for (unsigned int i = 0; i < count && !ret; i++) {
		struct worker *w = calloc(1, sizeof(*w));

		if (!w)
			return -ENOMEM;
		w->dp = dp;
		w->index = i;
		w->queue = (uint16_t)(dp->table.queue_base + i);
		w->cpu = dp_worker_cpu(i);
		w->raw4 = w->raw6 = -1;
		ret = worker_open(w);
		if (!ret)
			ret = -pthread_create(&w->thread, NULL, worker_main, w);
		if (ret) {
			fprintf(stderr, "datapath: worker %u on queue %u: %s\n",
				i, w->queue, strerror(-ret));
			worker_close(w);
			break;
		}
		workers[i] = w;
		dp->worker_count++;
	}
	return ret;
}

void dp_workers_stop(struct datapath *dp)
{
	dp_stop(dp);
	for (unsigned int i = 0; i < dp->worker_count; i++) {
		pthread_join(workers[i]->thread, NULL);
		worker_close(workers[i]);
		workers[i] = NULL;
	}
	dp->worker_count = 0;
}

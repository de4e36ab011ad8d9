// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SIP over TCP and TLS: listeners, connections in both directions, framing
 * by Content-Length, CRLF keep-alive answers (RFC 5626 4.4.1), and reuse of
 * an open connection for anything sent to the same peer. Accepted
 * connections are capped (conn_limits.c) and must finish their TLS
 * handshake and send a whole message within deadlines from accept
 * (sip_limits), so idle and half-open sockets cannot hold descriptors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <openssl/err.h>

#include "base/evloop.h"
#include "base/log.h"
#include "base/log_limit.h"
#include "base/secret_mem.h"
#include "sip/sip_frame.h"
#include "sip/transport.h"
#include "sip/transport_internal.h"
#include "sip/transport_tls.h"

#define CONN_MAX_BUF (4 * SIP_MAX_MESSAGE)
/* A trunk in a burst can owe its peer more than it reads at once; the
 * queue grows as needed up to this, per connection. */
#define CONN_MAX_TX (16 * SIP_MAX_MESSAGE)
/* Accepts per listener wakeup: other sockets get their turn. */
#define ACCEPT_BUDGET 64

struct conn {
	struct conn *next;
	struct transport *tp;
	uint32_t id;
	int fd;
	enum sip_proto proto;
	int iface;
	struct sockaddr_storage peer;
	SSL *ssl;
	char tls_name[128];		/* RFC 5922 domain we expect, or "" */
	bool connecting, handshaking, closing;
	bool accepted;			/* counted in conn_limits */
	bool got_message;		/* a whole message arrived */
	char *rx, *tx;
	size_t rx_len, tx_len, tx_cap;
	uint64_t last_rx_ms, accepted_ms;
	struct ev_timer deadline;	/* handshake, then first message */
};

static void pause_listeners(struct stream_conns *s);

static const char *conn_name(const struct conn *c, char *buf, size_t len)
{
	char a[64];

	snprintf(buf, len, "%s %s #%u", sip_proto_name(c->proto),
		 sockaddr_str(&c->peer, a, sizeof(a)), c->id);
	return buf;
}

static void conn_close(struct conn *c, const char *why)
{
	struct stream_conns *s = &c->tp->stream;
	struct conn **p;
	char n[96];

	log_limited(&s->conn_log, LOG_LVL_INFO, "connection %s closed: %s",
		    conn_name(c, n, sizeof(n)), why);
	/* Only what we opened or still owed a peer fails transactions: an
	 * accepted socket that never spoke has none. */
	if (c->connecting || (c->handshaking && !c->accepted) || c->tx_len) {
		struct sip_peer lost = { .proto = c->proto, .addr = c->peer,
				      .iface = c->iface, .conn_id = c->id };

		transport_report_error(c->tp, &lost);
	}
	for (p = &s->list; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	if (c->accepted)
		conn_limits_release(&s->limits, &c->peer);
	ev_timer_cancel(&c->deadline);
	ev_fd_del(c->fd);
	if (c->ssl)
		SSL_free(c->ssl);
	close(c->fd);
	/* Both buffers held SIP with SRTP keys. */
	secret_free(c->rx, CONN_MAX_BUF);
	secret_free(c->tx, c->tx_cap);
	free(c);
}

static void conn_update_events(struct conn *c, bool want_write)
{
	ev_fd_mod(c->fd, EPOLLIN | ((want_write || c->tx_len || c->connecting) ?
				    EPOLLOUT : 0));
}

/* Writes what is queued; false when the connection had to be closed. */
static bool conn_flush(struct conn *c)
{
	char n[96];

	while (c->tx_len) {
		ssize_t w;

		if (c->ssl) {
			int r = SSL_write(c->ssl, c->tx, (int)c->tx_len);

			if (r <= 0) {
				int e = SSL_get_error(c->ssl, r);

				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
					break;
				conn_close(c, "TLS write failed");
				return false;
			}
			w = r;
		} else {
			w = send(c->fd, c->tx, c->tx_len, MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EAGAIN || errno == EINTR)
					break;
				log_limited(&c->tp->stream.limits.broken_log, LOG_LVL_WARN,
					    "connection %s: send: %s",
					    conn_name(c, n, sizeof(n)), strerror(errno));
				conn_close(c, "send failed");
				return false;
			}
		}
		memmove(c->tx, c->tx + w, c->tx_len - (size_t)w);
		c->tx_len -= (size_t)w;
		explicit_bzero(c->tx + c->tx_len, (size_t)w);
	}
	conn_update_events(c, false);
	return true;
}

static int conn_queue(struct conn *c, const char *buf, size_t len)
{
	if (c->tx_len + len > CONN_MAX_TX)
		return -ENOBUFS;
	if (c->tx_len + len > c->tx_cap) {
		size_t cap = c->tx_len + len + 4096;
		char *t = secret_realloc(c->tx, cap);

		if (!t)
			return -ENOMEM;
		c->tx = t;
		c->tx_cap = cap;
	}
	memcpy(c->tx + c->tx_len, buf, len);
	c->tx_len += len;
	return 0;
}

/*
 * Hands complete messages to the SIP layer; false if the conn is gone.
 * What is left is moved to the front once, at the end: a full buffer
 * holds some 250 messages, and moving the rest after each one made a
 * busy trunk's every message cost a copy of 128 kB on average.
 */
static bool conn_deliver(struct conn *c)
{
	struct sip_peer from = { .proto = c->proto, .addr = c->peer,
				 .iface = c->iface, .conn_id = c->id };
	size_t crlf, off = 0;
	long n;

	while (off < c->rx_len) {
		n = sip_frame(c->rx + off, c->rx_len - off, &crlf);
		/* A double CRLF ping gets a single CRLF pong (RFC 5626 4.4.1). */
		if (crlf >= 4 && n == 0 && crlf == c->rx_len - off)
			conn_queue(c, "\r\n", 2);
		if (n < 0) {
			conn_close(c, "unframeable data (missing or bad Content-Length, or headers over 16 kB)");
			return false;
		}
		if (n == 0) {
			off += crlf;
			break;
		}
		if (!c->got_message) {
			c->got_message = true;
			ev_timer_cancel(&c->deadline);
		}
		transport_deliver(c->tp, &from, c->rx + off + crlf, (size_t)n);
		off += crlf + (size_t)n;
	}
	if (off) {
		memmove(c->rx, c->rx + off, c->rx_len - off);
		c->rx_len -= off;
		/* The delivered messages (their SDP keys) must not linger:
		 * what the move did not overwrite is wiped. */
		explicit_bzero(c->rx + c->rx_len, off);
	}
	return conn_flush(c);
}

static bool conn_read(struct conn *c)
{
	char n[96];

	for (;;) {
		ssize_t r;

		/* A busy trunk has more queued in the kernel than fits here:
		 * hand on what is complete and come back on the next (level-
		 * triggered) wakeup, so that the answers queued meanwhile are
		 * flushed first. Plaintext TLS already decrypted is not seen
		 * by epoll: read on while there is some. Only a message larger
		 * than the buffer is the peer's fault. */
		if (c->rx_len == CONN_MAX_BUF) {
			if (!conn_deliver(c))
				return false;
			if (c->rx_len == CONN_MAX_BUF) {
				conn_close(c, "receive buffer full without a complete message");
				return false;
			}
			if (!c->ssl || !SSL_has_pending(c->ssl))
				return true;
		}
		if (c->ssl) {
			int k = SSL_read(c->ssl, c->rx + c->rx_len,
					 (int)(CONN_MAX_BUF - c->rx_len));

			if (k <= 0) {
				int e = SSL_get_error(c->ssl, k);

				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					break;
				conn_close(c, e == SSL_ERROR_ZERO_RETURN ?
					   "closed by peer" : "TLS read failed");
				return false;
			}
			r = k;
		} else {
			r = recv(c->fd, c->rx + c->rx_len, CONN_MAX_BUF - c->rx_len, 0);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			if (r <= 0) {
				if (r < 0)
					log_limited(&c->tp->stream.limits.broken_log,
						    LOG_LVL_WARN, "connection %s: recv: %s",
						    conn_name(c, n, sizeof(n)),
						    strerror(errno));
				conn_close(c, r ? "receive failed" : "closed by peer");
				return false;
			}
		}
		c->rx_len += (size_t)r;
		c->last_rx_ms = ev_now_ms();
	}
	return conn_deliver(c);
}

/* What an accepted connection owes by when, counted from accept. */
static void conn_deadline(void *arg)
{
	struct conn *c = arg;
	const struct conn_caps *caps = transport_caps(c->tp);
	struct conn_limits *limits = &c->tp->stream.limits;
	char why[80];

	if (c->handshaking) {
		limits->closed_handshake++;
		snprintf(why, sizeof(why), "no TLS handshake within %u s",
			 caps->tls_handshake_timeout);
	} else {
		limits->closed_first_message++;
		snprintf(why, sizeof(why), "no complete SIP message within %u s",
			 caps->first_message_timeout);
	}
	conn_close(c, why);
}

static void arm_first_message(struct conn *c)
{
	uint64_t due = c->accepted_ms +
		       transport_caps(c->tp)->first_message_timeout * 1000ULL;
	uint64_t now = ev_now_ms();

	ev_timer_arm(&c->deadline, due > now ? due - now : 0);
}

static void conn_event(int fd, uint32_t events, void *arg)
{
	struct conn *c = arg;
	char n[96];
	int ww, rc;

	if (c->connecting) {
		int err = 0;
		socklen_t l = sizeof(err);

		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
		if (err) {
			log_warn("connection %s: connect: %s",
				 conn_name(c, n, sizeof(n)), strerror(err));
			conn_close(c, "connect failed");
			return;
		}
		c->connecting = false;
	}
	if (c->handshaking) {
		rc = tls_handshake(c->ssl, &ww, conn_name(c, n, sizeof(n)),
				   c->tls_name[0] ? c->tls_name : NULL,
				   &c->tp->stream.limits.handshake_log);
		if (rc < 0) {
			conn_close(c, "TLS handshake failed");
			return;
		}
		if (rc == 0) {
			conn_update_events(c, ww);
			return;
		}
		c->handshaking = false;
		if (c->accepted && !c->got_message)
			arm_first_message(c);
	}
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !conn_read(c))
		return;
	conn_flush(c);
}

static struct conn *conn_new(struct transport *tp, int fd, enum sip_proto proto,
			     int iface, const struct sockaddr_storage *peer,
			     bool server, const char *tls_name)
{
	struct stream_conns *s = &tp->stream;
	struct conn *c = calloc(1, sizeof(*c));
	int one = 1;

	if (!c || !(c->rx = malloc(CONN_MAX_BUF))) {
		free(c);
		close(fd);
		log_err("connection: out of memory");
		return NULL;
	}
	c->tp = tp;
	c->id = s->next_id++;
	if (!s->next_id)
		s->next_id = 1;
	c->fd = fd;
	c->proto = proto;
	c->iface = iface;
	c->peer = *peer;
	c->last_rx_ms = ev_now_ms();
	ev_timer_init(&c->deadline, conn_deadline, c);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (proto == SIP_TLS) {
		if (tls_name)
			snprintf(c->tls_name, sizeof(c->tls_name), "%s", tls_name);
		c->ssl = tls_new(tp, transport_iface(tp, iface)->tls, fd, server,
				 tls_name);
		if (!c->ssl) {
			log_err("connection: no TLS context on interface %s",
				transport_iface(tp, iface)->name);
			close(fd);
			free(c->rx);
			free(c);
			return NULL;
		}
		c->handshaking = true;
	}
	if (ev_fd_add(fd, EPOLLIN | EPOLLOUT, conn_event, c) < 0) {
		if (c->ssl)
			SSL_free(c->ssl);
		close(fd);
		free(c->rx);
		free(c);
		return NULL;
	}
	c->next = s->list;
	s->list = c;
	return c;
}

/* @arg: the struct stream_listener. */
static void listener_event(int fd, uint32_t events, void *arg)
{
	const struct stream_listener *li = arg;
	struct transport *tp = li->tp;
	struct stream_conns *s = &tp->stream;
	const struct conn_caps *caps = transport_caps(tp);
	struct sockaddr_storage peer;
	socklen_t l;
	char n[96];
	int cfd, budget;

	for (budget = ACCEPT_BUDGET; budget > 0; budget--) {
		struct conn *c;

		l = sizeof(peer);
		cfd = accept4(fd, (struct sockaddr *)&peer, &l,
			      SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0 && (errno == EMFILE || errno == ENFILE)) {
			/* Level-triggered: the pending connection must go,
			 * or the listener wakes us again at once. */
			if (!conn_limits_shed(&s->limits, fd))
				pause_listeners(s);
			return;
		}
		if (cfd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_limited(&s->limits.refused_log, LOG_LVL_WARN,
					    "accept on %s: %s", sip_proto_name(li->proto),
					    strerror(errno));
			return;
		}
		if (!transport_accepts(tp, &peer)) {
			s->limits.refused_policy++;
			close(cfd);
			continue;
		}
		if (!conn_limits_take(&s->limits, caps->max_connections,
				      caps->max_connections_per_ip, &peer)) {
			close(cfd);
			continue;
		}
		c = conn_new(tp, cfd, li->proto, li->iface, &peer, true, NULL);
		if (!c) {
			conn_limits_release(&s->limits, &peer);
			continue;
		}
		c->accepted = true;
		c->accepted_ms = ev_now_ms();
		if (c->handshaking)
			ev_timer_arm(&c->deadline, caps->tls_handshake_timeout * 1000ULL);
		else
			arm_first_message(c);
		log_limited(&s->conn_log, LOG_LVL_INFO, "connection %s accepted",
			    conn_name(c, n, sizeof(n)));
	}
}

/* Not even the reserve descriptor could be had: stop listening for a
 * second rather than wake up for the same pending connection forever. */
static void pause_listeners(struct stream_conns *s)
{
	int i;

	for (i = 0; i < 2 * SIP_MAX_IFACES; i++)
		if (s->listeners[i].fd >= 0)
			ev_fd_mod(s->listeners[i].fd, 0);
	if (!s->resume_timer.armed)
		ev_timer_arm(&s->resume_timer, 1000);
}

/* @arg: the struct stream_conns. */
static void resume_listeners(void *arg)
{
	struct stream_conns *s = arg;
	int i;

	for (i = 0; i < 2 * SIP_MAX_IFACES; i++)
		if (s->listeners[i].fd >= 0)
			ev_fd_mod(s->listeners[i].fd, EPOLLIN);
}

static struct conn *conn_connect(struct transport *tp, const struct sip_peer *to)
{
	struct sockaddr_storage local;
	int iface = to->iface < 0 ? 0 : to->iface;
	struct conn *c;
	char n[96];
	int fd;

	if (to->proto == SIP_TLS && transport_iface(tp, iface)->tls < 0) {
		log_warn("cannot open TLS from interface %s: it has no tls_context",
			 transport_iface(tp, iface)->name);
		return NULL;
	}
	fd = socket(to->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("tcp socket: %s", strerror(errno));
		return NULL;
	}
	local = transport_iface(tp, iface)->addr;
	sockaddr_set_port(&local, 0);
	if (local.ss_family == to->addr.ss_family)
		bind(fd, (struct sockaddr *)&local, sockaddr_len(&local));
	if (connect(fd, (const struct sockaddr *)&to->addr, sockaddr_len(&to->addr)) < 0 &&
	    errno != EINPROGRESS) {
		log_warn("connect %s: %s", sockaddr_str(&to->addr, n, sizeof(n)),
			 strerror(errno));
		close(fd);
		return NULL;
	}
	/* A proxy-set target's ;tls_name: the name its certificate must
	 * carry, since an IP literal says nothing about who should answer. */
	c = conn_new(tp, fd, to->proto, iface, &to->addr, false,
		     to->proto == SIP_TLS ? transport_tls_name(tp, &to->addr) : NULL);
	if (c) {
		c->connecting = true;
		log_info("connection %s opening", conn_name(c, n, sizeof(n)));
	}
	return c;
}

static struct conn *conn_find(const struct stream_conns *s,
			      const struct sip_peer *to)
{
	struct conn *c;

	for (c = s->list; c; c = c->next)
		if (to->conn_id && c->id == to->conn_id)
			return c;
	for (c = s->list; c; c = c->next)
		if (c->proto == to->proto && sockaddr_equal(&c->peer, &to->addr))
			return c;
	return NULL;
}

int transport_stream_send(struct transport *tp, const struct sip_peer *to,
			  const char *buf, size_t len)
{
	struct conn *c = conn_find(&tp->stream, to);
	int rc;

	if (!c)
		c = conn_connect(tp, to);
	if (!c)
		return -ENOTCONN;
	rc = conn_queue(c, buf, len);
	if (rc < 0) {
		log_limited(&tp->stream.conn_log, LOG_LVL_WARN,
			    "connection #%u: send queue full, message dropped", c->id);
		return rc;
	}
	/* Flushed from the event loop: a send never closes a connection
	 * under the feet of the code that is delivering from it. */
	if (!c->connecting && !c->handshaking)
		conn_update_events(c, true);
	return 0;
}

unsigned int transport_conn_count(const struct transport *tp)
{
	unsigned int n = 0;
	struct conn *c;

	for (c = tp->stream.list; c; c = c->next)
		n++;
	return n;
}

unsigned int transport_stream_tx_fill_pct(const struct transport *tp)
{
	size_t most = 0;
	struct conn *c;

	for (c = tp->stream.list; c; c = c->next)
		if (c->tx_len > most)
			most = c->tx_len;
	return (unsigned int)(most * 100 / CONN_MAX_TX);
}

/* @arg: the struct transport. */
static void idle_check(void *arg)
{
	struct transport *tp = arg;
	struct stream_conns *s = &tp->stream;
	unsigned int idle_s = transport_caps(tp)->idle_timeout;
	uint64_t now = ev_now_ms(), idle_ms = idle_s * 1000ULL;
	struct conn *c, *next;
	char why[64];

	snprintf(why, sizeof(why), "idle for %u s", idle_s);
	for (c = s->list; c; c = next) {
		next = c->next;
		if (now - c->last_rx_ms > idle_ms) {
			s->limits.closed_idle++;
			conn_close(c, why);
		}
	}
	ev_timer_arm(&s->idle_timer, idle_ms < 60000 ? idle_ms : 60000);
}

void transport_conn_stats(const struct transport *tp,
			  struct conn_limits_stats *out)
{
	conn_limits_stats(&tp->stream.limits, transport_caps(tp)->max_connections,
			  out);
}

static int listen_on(struct transport *tp, const struct sip_iface *f, int iface,
		     enum sip_proto proto, uint16_t port)
{
	struct stream_listener *li = &tp->stream.listeners[2 * iface +
							   (proto == SIP_TLS)];
	struct sockaddr_storage sa = f->addr;
	int fd, one = 1;
	char a[64];

	sockaddr_set_port(&sa, port);
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_err("tcp socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sockaddr_len(&sa)) < 0 ||
	    listen(fd, 128) < 0) {
		int e = errno;

		log_err("interface %s: listen %s %s: %s", f->name,
			sip_proto_name(proto), sockaddr_str(&sa, a, sizeof(a)),
			strerror(e));
		close(fd);
		return -e;
	}
	li->iface = iface;
	li->proto = proto;
	if (ev_fd_add(fd, EPOLLIN, listener_event, li) < 0) {
		close(fd);
		return -EIO;
	}
	li->fd = fd;
	log_info("interface %s: listening on %s %s", f->name,
		 sip_proto_name(proto), sockaddr_str(&sa, a, sizeof(a)));
	return 0;
}

void transport_stream_init(struct transport *tp)
{
	struct stream_conns *s = &tp->stream;
	int i;

	s->next_id = 1;
	for (i = 0; i < 2 * SIP_MAX_IFACES; i++)
		s->listeners[i] = (struct stream_listener){ .tp = tp, .fd = -1 };
}

int transport_stream_start(struct transport *tp,
			   const struct transport_setup *setup)
{
	struct stream_conns *s = &tp->stream;
	const struct conn_caps *caps = transport_caps(tp);
	unsigned int i;
	int rc;

	rc = conn_limits_init(&s->limits);
	if (rc) {
		log_err("connection limits: %s", strerror(-rc));
		return rc;
	}
	if (s->limits.fd_cap < caps->max_connections)
		log_warn("sip_limits: max_connections %u is above what the file limit leaves (%u): %u it is",
			 caps->max_connections, s->limits.fd_cap, s->limits.fd_cap);
	ev_timer_init(&s->resume_timer, resume_listeners, s);
	for (i = 0; i < setup->n_ifaces; i++) {
		const struct sip_iface *f = &setup->ifaces[i];

		if (f->tcp_port && (rc = listen_on(tp, f, (int)i, SIP_TCP, f->tcp_port)))
			return rc;
		if (f->tls_port && (rc = listen_on(tp, f, (int)i, SIP_TLS, f->tls_port)))
			return rc;
	}
	ev_timer_init(&s->idle_timer, idle_check, tp);
	ev_timer_arm(&s->idle_timer, 60000);
	return 0;
}

void transport_stream_stop(struct transport *tp)
{
	struct stream_conns *s = &tp->stream;
	int i;

	for (i = 0; i < 2 * SIP_MAX_IFACES; i++) {
		struct stream_listener *li = &s->listeners[i];

		if (li->fd >= 0) {
			ev_fd_del(li->fd);
			close(li->fd);
			li->fd = -1;
		}
	}
	while (s->list)
		conn_close(s->list, "shutting down");
	ev_timer_cancel(&s->idle_timer);
	ev_timer_cancel(&s->resume_timer);
	conn_limits_free(&s->limits);
}

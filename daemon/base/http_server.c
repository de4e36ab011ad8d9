// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * http_server.h on libmicrohttpd in "external polling" mode with epoll:
 * MHD_run() only when the loop says its descriptor is ready or its
 * timeout came, and MHD_get_timeout() after each run to arm the timer.
 *
 * At its own connection limit MHD takes the listening socket out of its
 * epoll set, and puts it back only at the start of a later run: clients
 * over the limit would wait in the listen queue, a slow client's timeout
 * would delay every scrape behind it, and a run that closed connections
 * with nothing else pending would leave the socket out for good. So
 * max_clients is ours: the accept policy refuses a client over it (closed
 * at accept, as the SIP transports do), and MHD's limit is one above, never
 * reached. A run that closed connections is followed by another, which
 * puts the listening socket back if a lack of descriptors took it out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <microhttpd.h>

#include "base/addr.h"
#include "base/evloop.h"
#include "base/http_server.h"
#include "base/log_limit.h"

struct http_server {
	struct MHD_Daemon *mhd;
	int epoll_fd;			/* MHD's own, in the loop's set */
	struct ev_timer timer;		/* MHD's next timeout */
	http_get_cb get;
	void *arg;
	unsigned int max_clients;
	struct log_limit log_limit;	/* clients cause MHD's lines */
};

static void schedule(struct http_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(s->mhd, &ms) == MHD_YES)
		ev_timer_arm(&s->timer, ms);
	else
		ev_timer_cancel(&s->timer);
}

static unsigned int open_connections(struct http_server *s)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return i ? i->num_connections : 0;
}

static void run(struct http_server *s)
{
	unsigned int before = open_connections(s);

	MHD_run(s->mhd);
	if (open_connections(s) < before)
		MHD_run(s->mhd);
	schedule(s);
}

/* Before MHD takes a connection: none over max_clients. */
static enum MHD_Result accept_policy(void *arg, const struct sockaddr *addr,
				     socklen_t len)
{
	struct http_server *s = arg;

	return open_connections(s) < s->max_clients ? MHD_YES : MHD_NO;
}

static void on_ready(int fd, uint32_t events, void *arg)
{
	run(arg);
}

static void on_timeout(void *arg)
{
	run(arg);
}

/* MHD's lines (a connection refused over the limit, a broken client)
 * are what any client can cause at will: limited like ours. */
static void mhd_log(void *arg, const char *fmt, va_list ap)
{
	struct http_server *s = arg;
	char line[256];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	log_limited(&s->log_limit, LOG_LVL_WARN, "http: %s", line);
}

static enum MHD_Result respond(struct MHD_Connection *conn, int status,
			       const char *content_type, struct sbuf *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(body->len, body->p,
					    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	ret = MHD_queue_response(conn, (unsigned int)status, r);
	MHD_destroy_response(r);
	return ret;
}

/* One request: answered at its first call, a GET has no body to wait for. */
static enum MHD_Result on_request(void *arg, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_len, void **state)
{
	struct http_server *s = arg;
	const char *type = "text/plain; charset=utf-8";
	struct sbuf body;
	enum MHD_Result ret;
	int status;

	sb_init(&body);
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		sb_puts(&body, "only GET\n");
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else {
		status = s->get(url, &body, &type, s->arg);
	}
	if (body.failed) {
		sb_reset(&body);
		sb_puts(&body, "out of memory\n");
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
	ret = respond(conn, status, type, &body);
	sb_free(&body);
	return ret;
}

static struct MHD_Daemon *mhd_start(struct http_server *s,
				    const struct sockaddr_storage *addr,
				    const struct http_limits *limits)
{
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

	if (addr->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, sockaddr_port(addr), accept_policy, s,
				on_request, s,
				/* First, or MHD's own logger prints the rest. */
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
				MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)addr,
				MHD_OPTION_CONNECTION_LIMIT, limits->max_clients + 1,
				MHD_OPTION_CONNECTION_TIMEOUT, limits->timeout_s,
				MHD_OPTION_END);
}

struct http_server *http_server_start(const struct sockaddr_storage *addr,
				      const struct http_limits *limits,
				      http_get_cb get, void *arg,
				      char *err, size_t err_len)
{
	struct http_server *s = calloc(1, sizeof(*s));
	const union MHD_DaemonInfo *info;
	char a[64];

	if (!s) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	s->get = get;
	s->arg = arg;
	s->max_clients = limits->max_clients;
	ev_timer_init(&s->timer, on_timeout, s);
	errno = 0;
	s->mhd = mhd_start(s, addr, limits);
	if (!s->mhd) {
		/* MHD says why in its log line; errno is bind()'s, if any. */
		snprintf(err, err_len, "cannot listen on %s%s%s",
			 sockaddr_str(addr, a, sizeof(a)), errno ? ": " : "",
			 errno ? strerror(errno) : "");
		free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	s->epoll_fd = info ? info->epoll_fd : -1;
	if (s->epoll_fd < 0 || ev_fd_add(s->epoll_fd, EPOLLIN, on_ready, s)) {
		snprintf(err, err_len, "cannot watch the HTTP server's epoll descriptor");
		MHD_stop_daemon(s->mhd);
		free(s);
		return NULL;
	}
	schedule(s);
	return s;
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	ev_timer_cancel(&s->timer);
	ev_fd_del(s->epoll_fd);
	MHD_stop_daemon(s->mhd);
	free(s);
}

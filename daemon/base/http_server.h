/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small HTTP server for read-only pages (the metrics endpoint), on
 * libmicrohttpd driven by the event loop: no thread of its own. Its epoll
 * descriptor sits in the loop's epoll set and its connection timeouts in
 * a loop timer, so a page is built on the loop's thread from the state
 * the loop owns, with no lock and no copy, and a client can only ever
 * cost the loop what building one page costs: the sockets are
 * non-blocking, at most max_clients are open (more are closed at
 * accept), and one silent for timeout_s is closed.
 */
#ifndef SRTPRELAYD_HTTP_SERVER_H
#define SRTPRELAYD_HTTP_SERVER_H

#include <stddef.h>
#include <sys/socket.h>

#include "base/sbuf.h"

struct http_limits {
	unsigned int max_clients;	/* connections open at once */
	unsigned int timeout_s;		/* idle connections are closed */
};

/*
 * Builds the page for GET (or HEAD) @path into @body and returns its
 * status (200, 404...); *@content_type may be set (default text/plain).
 */
typedef int (*http_get_cb)(const char *path, struct sbuf *body,
			   const char **content_type, void *arg);

struct http_server;

/* Listens on @addr; NULL with @err set (e.g. the address is in use). */
struct http_server *http_server_start(const struct sockaddr_storage *addr,
				      const struct http_limits *limits,
				      http_get_cb get, void *arg,
				      char *err, size_t err_len);
void http_server_stop(struct http_server *s);

#endif

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The control socket's connections (control_conn.h): who may connect, and
 * serving each one from the event loop without ever waiting on it.
 *
 * srtprelayd has one thread: a blocking send() of a long "calls" answer
 * to a client that reads slowly (`srtprelayctl calls | less`) would stop
 * SIP with it. So every connection is non-blocking, its answer is kept
 * and sent as the client reads, and each connection has a deadline: the
 * command line within CONN_LINE_MS, then the answer must keep moving
 * (CONN_STALL_MS without a byte taken closes it). At most CONN_MAX are
 * open; more are closed at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "base/evloop.h"
#include "base/log.h"
#include "base/sbuf.h"
#include "control_conn.h"
#include "peer_cred.h"

#define CONN_MAX 16
#define CONN_LINE_MS 2000
#define CONN_STALL_MS 5000
#define CONN_LINE_LEN 128

struct conn {
	struct control_server *srv;
	int fd;
	char line[CONN_LINE_LEN];
	size_t line_len;
	struct sbuf answer;
	size_t sent;
	bool answering;
	struct ev_timer deadline;
	struct conn *next;
};

struct control_server {
	int listen_fd;
	char path[108];
	gid_t group;
	bool has_group;
	control_answer_fn answer;
	void *arg;
	struct conn *conns;
	unsigned int count;
	uint64_t refused;
};

static void conn_close(struct conn *conn)
{
	struct control_server *srv = conn->srv;
	struct conn **link;

	for (link = &srv->conns; *link != conn; link = &(*link)->next)
		;
	*link = conn->next;
	srv->count--;
	ev_timer_cancel(&conn->deadline);
	ev_fd_del(conn->fd);
	close(conn->fd);
	sb_free(&conn->answer);
	free(conn);
}

static void on_deadline(void *arg)
{
	struct conn *conn = arg;

	log_debug("control: closing a connection that %s",
		  conn->answering ? "stopped reading its answer" :
		  "sent no complete command line");
	conn_close(conn);
}

/* Sends what the socket takes; closes the connection once all is sent. */
static void conn_send(struct conn *conn)
{
	while (conn->sent < conn->answer.len) {
		ssize_t n = send(conn->fd, conn->answer.p + conn->sent,
				 conn->answer.len - conn->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_close(conn);
			return;
		}
		conn->sent += (size_t)n;
		ev_timer_arm(&conn->deadline, CONN_STALL_MS);
	}
	conn_close(conn);
}

static void conn_answer(struct conn *conn)
{
	conn->line[conn->line_len] = '\0';
	conn->line[strcspn(conn->line, "\r\n")] = '\0';
	conn->answering = true;
	conn->srv->answer(conn->line, &conn->answer, conn->srv->arg);
	if (conn->answer.failed) {
		conn_close(conn);
		return;
	}
	ev_timer_arm(&conn->deadline, CONN_STALL_MS);
	if (ev_fd_mod(conn->fd, EPOLLOUT) < 0) {
		conn_close(conn);
		return;
	}
	conn_send(conn);
}

static void conn_event(int fd, uint32_t events, void *arg)
{
	struct conn *conn = arg;
	ssize_t n;

	if (conn->answering) {
		conn_send(conn);
		return;
	}
	n = recv(fd, conn->line + conn->line_len,
		 sizeof(conn->line) - 1 - conn->line_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(conn);
		return;
	}
	conn->line_len += (size_t)n;
	/* A line that does not fit is answered as it is: unknown. */
	if (memchr(conn->line, '\n', conn->line_len) ||
	    conn->line_len == sizeof(conn->line) - 1)
		conn_answer(conn);
}

static void accept_event(int fd, uint32_t events, void *arg)
{
	struct control_server *srv = arg;
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct conn *conn;

	if (c < 0)
		return;
	if (!peer_cred_allowed(c, srv->has_group ? &srv->group : NULL)) {
		/* At powers of two: a loop of connects floods no log. */
		if (!(srv->refused & (srv->refused + 1)))
			log_warn("control: %llu connections refused: not root, not our user%s",
				 (unsigned long long)srv->refused + 1,
				 srv->has_group ? ", not in control_group" : "");
		srv->refused++;
		close(c);
		return;
	}
	conn = srv->count < CONN_MAX ? calloc(1, sizeof(*conn)) : NULL;
	if (!conn) {
		close(c);
		return;
	}
	conn->srv = srv;
	conn->fd = c;
	sb_init(&conn->answer);
	ev_timer_init(&conn->deadline, on_deadline, conn);
	if (ev_fd_add(c, EPOLLIN, conn_event, conn) < 0) {
		close(c);
		free(conn);
		return;
	}
	ev_timer_arm(&conn->deadline, CONN_LINE_MS);
	conn->next = srv->conns;
	srv->conns = conn;
	srv->count++;
}

/**
 * control_server_start() - listen on a unix stream socket for commands
 * @path: the socket's path
 * @group: the group that may connect besides root and our user, or NULL
 * @answer: builds the answer to one command line
 * @arg: passed to @answer
 *
 * The socket is 0660 root:@group, or 0600 without a group.
 *
 * Return: the server, or NULL (logged).
 */
struct control_server *control_server_start(const char *path,
					    const gid_t *group,
					    control_answer_fn answer,
					    void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct control_server *srv;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("control socket path %s is too long", path);
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return NULL;
	strcpy(sa.sun_path, path);
	strcpy(srv->path, path);
	srv->answer = answer;
	srv->arg = arg;
	if (group) {
		srv->group = *group;
		srv->has_group = true;
	}
	unlink(path);
	srv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
				SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0 ||
	    bind(srv->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (group && chown(path, (uid_t)-1, *group) < 0) ||
	    chmod(path, group ? 0660 : 0600) < 0 ||
	    listen(srv->listen_fd, 16) < 0 ||
	    ev_fd_add(srv->listen_fd, EPOLLIN, accept_event, srv) < 0) {
		log_err("control socket %s: %s", path, strerror(errno));
		if (srv->listen_fd >= 0)
			close(srv->listen_fd);
		free(srv);
		return NULL;
	}
	return srv;
}

/**
 * control_server_stop() - close the socket and every connection
 * @srv: from control_server_start(), or NULL
 */
void control_server_stop(struct control_server *srv)
{
	if (!srv)
		return;
	while (srv->conns)
		conn_close(srv->conns);
	ev_fd_del(srv->listen_fd);
	close(srv->listen_fd);
	unlink(srv->path);
	free(srv);
}

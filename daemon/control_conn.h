/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The control socket's connections: peer credentials (root, our own user,
 * control_group), one command line per connection, the answer sent as
 * the client reads it, deadlines so that no client holds the event loop
 * or a connection slot (control_conn.c). What the commands answer is
 * control.c's.
 */
#ifndef SRTPRELAYD_CONTROL_CONN_H
#define SRTPRELAYD_CONTROL_CONN_H

#include <sys/types.h>

struct sbuf;
struct control_server;

/* Appends the answer to @line (without its newline) to @out. */
typedef void (*control_answer_fn)(const char *line, struct sbuf *out,
				  void *arg);

struct control_server *control_server_start(const char *path,
					    const gid_t *group,
					    control_answer_fn answer,
					    void *arg);
void control_server_stop(struct control_server *srv);

#endif

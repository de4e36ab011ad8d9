// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A TLS echo listener on daemon/tls/tls_context.c, standing in for srtprelayd's
 * SIP TLS interface in test/tls/run.sh: it builds its context exactly as the
 * daemon does (tls_slot_reload), reloads on SIGHUP, and serves several
 * connections at once from one poll loop so that a connection accepted
 * before a reload is still served after it. One line to stdout per event:
 *
 *   listening 127.0.0.1:PORT sha256=FP
 *   reloaded sha256=FP | reload refused: WHY
 *   handshake ok PROTO CIPHER | handshake failed: WHY
 *
 * Each line a client sends is echoed back.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/err.h>

#include "tls/tls_context.h"

#define MAX_CONNS 32

struct conn {
	int fd;
	SSL *ssl;
	bool established;
};

static volatile sig_atomic_t hup, term;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		hup = 1;
	else
		term = 1;
}

static int version(const char *s)
{
	if (!strcmp(s, "1.2"))
		return TLS1_2_VERSION;
	if (!strcmp(s, "1.3"))
		return TLS1_3_VERSION;
	if (!strcmp(s, "1.1"))
		return TLS1_1_VERSION;	/* to prove tls_context refuses it */
	return -1;
}

static void drop(struct conn *c)
{
	SSL_free(c->ssl);
	close(c->fd);
	c->fd = -1;
	c->ssl = NULL;
}

static void serve(struct conn *c)
{
	char buf[4096];
	int n, e;

	if (!c->established) {
		n = SSL_do_handshake(c->ssl);
		if (n == 1) {
			c->established = true;
			printf("handshake ok %s %s\n", SSL_get_version(c->ssl),
			       SSL_get_cipher_name(c->ssl));
			return;
		}
		e = SSL_get_error(c->ssl, n);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return;
		printf("handshake failed: %s\n", e == SSL_ERROR_SSL ?
		       ERR_reason_error_string(ERR_peek_last_error()) : "connection closed");
		ERR_clear_error();
		drop(c);
		return;
	}
	n = SSL_read(c->ssl, buf, sizeof(buf));
	if (n > 0) {
		SSL_write(c->ssl, buf, n);
		return;
	}
	e = SSL_get_error(c->ssl, n);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return;
	ERR_clear_error();
	drop(c);
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "chain", required_argument, NULL, 'C' },
		{ "ca-file", required_argument, NULL, 'A' },
		{ "mutual", no_argument, NULL, 'm' },
		{ "peers", required_argument, NULL, 'P' },
		{ "ciphers", required_argument, NULL, 'x' },
		{ "ciphersuites", required_argument, NULL, 'X' },
		{ "min", required_argument, NULL, 'v' },
		{ "max", required_argument, NULL, 'V' },
		{ "ocsp-response", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct tls_ctx_conf conf = { .name = "test" };
	struct tls_slot slot = { 0 };
	struct conn conns[MAX_CONNS];
	struct pollfd pfd[MAX_CONNS + 1];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_signal };
	char err[TLS_ERR_MAX];
	int opt, lfd, one = 1, port = 0, i;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'c': conf.certificate = optarg; break;
		case 'k': conf.private_key = optarg; break;
		case 'C': conf.chain = optarg; break;
		case 'A': conf.ca_file = optarg; break;
		case 'm': conf.mutual = true; break;
		case 'P': conf.mutual_peers = optarg; break;
		case 'x': conf.ciphers = optarg; break;
		case 'X': conf.ciphersuites = optarg; break;
		case 'v': conf.min_version = version(optarg); break;
		case 'V': conf.max_version = version(optarg); break;
		case 'o': conf.ocsp_response = optarg; break;
		default:
			fprintf(stderr, "usage: tls_server --port N --cert F --key F [--chain F] [--ca-file F] [--mutual [--peers A,B]]\n"
				"       [--ciphers L] [--ciphersuites L] [--min V] [--max V] [--ocsp-response F]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (port < 1 || port > 65535) {
		fprintf(stderr, "tls_server: --port\n");
		return 2;
	}
	if (tls_slot_reload(&slot, &conf, err, sizeof(err))) {
		printf("refused: %s\n", err);
		return 1;
	}
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(lfd, 16)) {
		printf("listen 127.0.0.1:%d: %s\n", port, strerror(errno));
		return 1;
	}
	for (i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	printf("listening 127.0.0.1:%d sha256=%s\n", port, slot.cur->sha256);
	while (!term) {
		int n = 0;

		if (hup) {
			hup = 0;
			if (tls_slot_reload(&slot, &conf, err, sizeof(err)))
				printf("reload refused: %s\n", err);
			else
				printf("reloaded sha256=%s\n", slot.cur->sha256);
		}
		pfd[n].fd = lfd;
		pfd[n++].events = POLLIN;
		for (i = 0; i < MAX_CONNS; i++) {
			pfd[n].fd = conns[i].fd;
			pfd[n++].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)n, 1000) < 0)
			continue;
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

			for (i = 0; fd >= 0 && i < MAX_CONNS && conns[i].fd >= 0; i++)
				;
			if (fd >= 0 && i < MAX_CONNS) {
				struct tls_ctx *ctx = tls_slot_get(&slot);

				conns[i].ssl = tls_ctx_new_ssl(ctx, fd, true, NULL);
				tls_ctx_put(ctx);	/* the SSL holds its own */
				conns[i].fd = fd;
				conns[i].established = false;
				if (!conns[i].ssl)
					drop(&conns[i]);
			} else if (fd >= 0) {
				close(fd);
			}
		}
		for (i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd >= 0 && (pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				serve(&conns[i]);
	}
	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].fd >= 0)
			drop(&conns[i]);
	tls_slot_clear(&slot);
	close(lfd);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/* srtprelayd: wiring only. Parses options, loads the configuration, starts
 * each part in order and runs the event loop until SIGTERM/SIGINT. */
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "call/b2bua.h"
#include "call/border.h"
#include "call/call_media.h"
#include "call/call_restore.h"
#include "call/reg_client.h"
#include "config/config.h"
#include "control.h"
#include "metrics.h"
#include "srtprelayd.h"
#include "base/evloop.h"
#include "base/log.h"
#include "call/media.h"
#include "base/notify.h"
#include "call/offer_answer.h"
#include "config/reload.h"
#include "call/proxy_targets.h"
#include "core_dumps.h"
#include "sip/sip_msg.h"
#include "sip/sip_txn.h"
#include "sip/transport.h"
#include "config/tls_contexts.h"


static void usage(FILE *f)
{
	fprintf(f, "Usage: srtprelayd [-c FILE] [-t] [-p] [-d] [-C] [-h]\n"
		"  -c FILE  configuration (default: the embedded one, see -p)\n"
		"  -t       check the configuration and exit (0: valid)\n"
		"  -p       print the embedded default configuration\n"
		"  -d       debug logging: every SIP message as sent and received\n"
		"           (a=crypto keys masked)\n"
		"  -C       allow core dumps (they may hold SRTP keys); by default\n"
		"           the process is not dumpable and RLIMIT_CORE is 0\n"
		"  -h       this help\n");
}

static void stop_now(void *arg)
{
	ev_stop();
}

/* @arg: the daemon. */
static void on_signal(int fd, uint32_t events, void *arg)
{
	struct srtprelayd *d = arg;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGHUP) {
		struct sbuf report;

		/* reload_run() logs each refusal; the report is for
		 * srtprelayctl reload. */
		log_info("signal %u: reloading", si.ssi_signo);
		sb_init(&report);
		reload_run(&d->reload, &report);
		sb_free(&report);
		return;
	}
	log_info("signal %u: ending %u call(s) and stopping", si.ssi_signo,
		 b2bua_call_count());
	notify_stopping(&d->notify);
	reg_clients_stop(&d->regs);
	b2bua_shutdown();
	/* Give the BYEs and CANCELs a moment on the wire. */
	if (!d->stop_timer.armed)
		ev_timer_arm(&d->stop_timer, 1000);
}

static int setup_signals(struct srtprelayd *d)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	ev_timer_init(&d->stop_timer, stop_now, NULL);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		log_err("signalfd: %s", strerror(errno));
		return -1;
	}
	return ev_fd_add(fd, EPOLLIN, on_signal, d);
}

static int state_dir(const struct config *cfg)
{
	if (!mkdir(cfg->state_dir, 0700) || errno == EEXIST)
		return 0;
	log_err("state_dir %s: %s", cfg->state_dir, strerror(errno));
	return -1;
}

/* srtprelayctl as the operator would type it: beside srtprelayd when it
 * was started from a build tree, else from PATH. */
static void ctl_path(char *out, size_t size, const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	if (slash) {
		snprintf(out, size, "%.*s/srtprelayctl", (int)(slash - argv0),
			 argv0);
		if (!access(out, X_OK))
			return;
	}
	snprintf(out, size, "srtprelayctl");
}

static void banner(const struct config *cfg, const struct media_plane *mp,
		   const char *argv0)
{
	const struct cfg_iface *f = &cfg->ifaces[0];
	char ctl[512], sock[600] = "";

	log_info("srtprelayd ready: configuration %s, media backend %s", cfg->source,
		 media_backend_name(mp));
	if (strcmp(cfg->source, "(embedded default)"))
		return;
	ctl_path(ctl, sizeof(ctl), argv0);
	/* calls and status read the control socket; monitor the media plane. */
	if (strcmp(cfg->control_socket, "/var/lib/srtprelayd/control.sock"))
		snprintf(sock, sizeof(sock), " -s %s", cfg->control_socket);
	fprintf(stderr,
		"\nsrtprelayd is running; media plane: %s.\n"
		"First call with two softphones (baresip, Linphone, ...):\n"
		"  register both at sip:%s:%u (UDP/TCP) or sip:%s:%u;transport=tls\n"
		"  (no password), as alice and bob; from alice dial sip:bob@%s.\n"
		"  Or without registering: bob listens on e.g. %s:5070, alice uses\n"
		"  srtprelayd as outbound proxy and dials sip:bob@%s:5070.\n"
		"  Each leg negotiates SDES-SRTP on its own (srtp preferable).\n"
		"Watch it:\n"
		"  %s calls%s      calls up, legs, ports, SRTP per leg\n"
		"  %s status%s     interfaces, realms, admission counters\n"
		"  %s monitor     media events (latches, SSRC changes)\n"
		"Ctrl-C ends the calls with BYE and stops.\n\n",
		media_backend_name(mp), f->address, f->udp_port, f->address,
		f->tls_port, f->address, f->address, f->address, ctl, sock,
		ctl, sock, ctl);
}

/* A proxy set target's ;tls_name, for the transports (they do not read
 * the routing configuration). */
static const char *tls_name_of(void *arg, const struct sockaddr_storage *addr)
{
	return proxy_targets_tls_name(arg, addr);
}

static int start_transports(struct transport *tp, const struct config *c,
			    struct border *border)
{
	struct transport_setup s = {
		.n_ifaces = c->n_ifaces,
		.rx = border_receive, .rx_arg = border,
		.tls_name = tls_name_of, .tls_name_arg = (void *)c,
		.caps = &c->limits.conn,
		.accept = border_accepts_connection, .accept_arg = border,
	};
	unsigned int i;

	_Static_assert(CFG_MAX_OBJ <= SIP_MAX_IFACES, "an interface per sip_interfaces entry");
	for (i = 0; i < c->n_ifaces; i++) {
		const struct cfg_iface *f = &c->ifaces[i];
		struct sip_iface *t = &s.ifaces[i];

		snprintf(t->name, sizeof(t->name), "%s", f->name);
		t->addr = f->addr;
		t->udp_port = f->udp_port;
		t->tcp_port = f->tcp_port;
		t->tls_port = f->tls_port;
		t->tls = f->tls;
	}
	return transport_start(tp, &s);
}

/* systemd gives a service a soft file limit of 1024 and a hard one far
 * above, for programs that need more to raise it themselves: an SBC's
 * TCP and TLS connections do (sip_limits.max_connections). */
static void raise_fd_limit(void)
{
	struct rlimit r;
	rlim_t want = 65536;

	if (getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur >= want)
		return;
	r.rlim_cur = r.rlim_max < want ? r.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &r))
		log_warn("raising the file limit to %llu: %s",
			 (unsigned long long)r.rlim_cur, strerror(errno));
}

/* After a reload: keep-alives restart, registrations that changed start
 * over. @live is the daemon's own configuration (struct srtprelayd's). */
static void reload_applied(const struct config *live)
{
	struct srtprelayd *d = (struct srtprelayd *)((char *)live -
						      offsetof(struct srtprelayd, cfg));

	proxy_targets_start(live);
	reg_clients_reloaded(&d->regs);
}

/*
 * The end of an event loop round: the calls it answered are written to
 * the store and their 200 OKs held (call_save()); one sync takes every
 * record to disk, then the held messages go out. A failed sync is logged
 * and the messages still go: the calls are up, a restart after a crash
 * of the process still finds them, only a power cut could lose them.
 */
static void round_end(void *arg)
{
	struct srtprelayd *d = arg;
	uint64_t t0;

	if (!transport_holding(d->transport))
		return;
	/* Waiting, not working: overload control must not count it (evloop.h). */
	t0 = ev_now_ns();
	call_store_sync(&d->store);
	d->loop.sync_wait_ns += ev_now_ns() - t0;
	transport_release(d->transport);
}

static int start(struct srtprelayd *d, const char *argv0)
{
	struct config *cfg = &d->cfg;
	char err[160];

	raise_fd_limit();
	if (state_dir(cfg) || ev_init() || setup_signals(d) || sip_msg_init() ||
	    tls_setup(cfg, d->transport))
		return -1;
	notify_start(&d->notify);
	d->media = media_new(cfg);
	if (!d->media)
		return -1;
	d->dns = resolver_new(cfg->dns.servers, err, sizeof(err));
	if (!d->dns) {
		log_err("dns: %s", err);
		return -1;
	}
	/* Requests reach the B2BUA, whose address is all it needs now. */
	d->txns = sip_txns_new(d->transport, b2bua_request, &d->b2bua);
	if (!d->txns)
		return -1;
	proxy_targets_setup(d->dns, d->txns);
	call_media_setup(d->media);
	d->b2bua = (struct b2bua){ .cfg = cfg, .store = &d->store,
				   .media = d->media, .transport = d->transport,
				   .txns = d->txns };
	/* Without its journal srtprelayd still takes calls; a restart
	 * would lose them, as the log says. */
	call_store_open_file(&d->store, cfg->state_dir);
	if (b2bua_setup(&d->b2bua) ||
	    border_setup(&d->border, cfg, &d->loop, d->transport, d->txns))
		return -1;
	if (start_transports(d->transport, cfg, &d->border) || control_start(d) ||
	    metrics_start(d))
		return -1;
	/* The calls of a run that died: after the transports (a leg names
	 * us by its interface's address), before the loop reads a request. */
	if (call_restore(&d->b2bua) < 0)
		return -1;
	proxy_targets_start(cfg);
	reg_clients_start(&d->regs, cfg, d->txns);
	heap_trim_start(&d->heap);
	banner(cfg, d->media, argv0);
	notify_ready(&d->notify, "media plane: %s", media_backend_name(d->media));
	return 0;
}

int main(int argc, char **argv)
{
	static struct srtprelayd d;	/* large; lives as long as the process */
	struct config *cfg = &d.cfg;
	const char *file = NULL;
	bool check = false, debug = false, core_dumps = false;
	int opt, errors, rc = 0;
	char err[128];

	while ((opt = getopt(argc, argv, "c:tpdCh")) != -1) {
		switch (opt) {
		case 'c': file = optarg; break;
		case 't': check = true; break;
		case 'd': debug = true; break;
		case 'C': core_dumps = true; break;
		case 'p': fputs(config_default_text, stdout); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	/* Before anything holds a key. */
	if (core_dumps_forbid(core_dumps, err, sizeof(err))) {
		fprintf(stderr, "srtprelayd: %s\n", err);
		return 1;
	}
	errors = config_load(file, cfg);
	if (errors) {
		if (errors > 0)
			fprintf(stderr, "%s: %d error(s)\n", cfg->source, errors);
		return 1;
	}
	if (check) {
		errors = tls_check_fqdn_files(cfg, stderr);
		if (errors) {
			fprintf(stderr, "%s: %d error(s)\n", cfg->source, errors);
			config_free(cfg);
			return 1;
		}
		printf("%s: configuration OK\n", cfg->source);
		config_free(cfg);
		return 0;
	}
	log_setup(debug ? LOG_LVL_DEBUG : (enum log_level)cfg->log_level, cfg->log_syslog);
	if (core_dumps)
		log_warn("core dumps allowed (-C): a core file may hold SRTP keys");
	/* Before start(): the TLS contexts are built into its slots. */
	d.transport = transport_new();
	if (!d.transport) {
		config_free(cfg);
		return 1;
	}
	d.reload = (struct reload_ctx){
		.live = cfg, .file = file, .debug = debug,
		.apply = proxy_targets_reload, .applied = reload_applied,
		.transport = d.transport,
	};
	if (start(&d, argv[0]) || ev_run(&d.loop, round_end, &d))
		rc = 1;
	heap_trim_stop(&d.heap);
	metrics_stop(&d);
	control_stop(&d);
	transport_stop(d.transport);
	border_stop(&d.border);
	media_free(d.media);
	call_store_close(&d.store);
	resolver_free(d.dns);
	sip_txns_free(d.txns);
	tls_teardown(d.transport);
	transport_free(d.transport);
	config_free(cfg);
	log_info("srtprelayd stopped");
	return rc;
}

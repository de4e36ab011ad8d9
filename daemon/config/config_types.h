/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The configuration's objects as struct config holds them (config.h says
 * how it is loaded). Types only, so that the object readers
 * (config_parse.h) and config.c can share them without including each
 * other.
 */
#ifndef SRTPRELAYD_CONFIG_TYPES_H
#define SRTPRELAYD_CONFIG_TYPES_H

#include <regex.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "base/overload.h"
#include "sip/conn_limits.h"
#include "sip/sip_types.h"

#define CFG_NAME_MAX 64
#define CFG_PATH_MAX 512
#define CFG_MAX_OBJ 32
#define CFG_MAX_TARGETS 8
#define CFG_MAX_SUBNETS 16
#define CFG_MAX_SUITES 6	/* every suite the SRTP core runs */

enum srtp_mode { SRTP_MANDATORY, SRTP_PREFERABLE, SRTP_DISABLED };
/*
 * How an offer of ours carries SRTP (RFC 4568 offers it on RTP/SAVP; Teams
 * and AudioCodes send a=crypto on RTP/AVP, which plain phones ignore).
 * srtp_offer in a group names the first form; the other is tried after a
 * refusal, and for preferable finally SRTP_OFFER_PLAIN (srtp_policy.h).
 */
enum srtp_offer_form { SRTP_OFFER_SAVP, SRTP_OFFER_AVP_CRYPTO, SRTP_OFFER_PLAIN };

struct cfg_tls {
	char name[CFG_NAME_MAX];
	char certificate[CFG_PATH_MAX];	/* PEM; "" with self_signed */
	char private_key[CFG_PATH_MAX];
	char chain[CFG_PATH_MAX];	/* intermediates, optional */
	char ca_file[CFG_PATH_MAX];	/* trusted roots, optional */
	int min_version, max_version;	/* TLS1_2_VERSION..., 0: library */
	char ciphers[256];		/* TLS <= 1.2 cipher list, optional */
	char ciphersuites[256];		/* TLS 1.3, optional */
	bool verify_peer;		/* verify servers we connect to (default) */
	bool mutual;			/* require client certificates */
	bool self_signed;		/* generate into state_dir if missing */
	char ca_dir[CFG_PATH_MAX];	/* trusted roots, c_rehash'd, optional */
	char mutual_peers[512];		/* "a,b": names a client must carry */
	bool ocsp_check, ocsp_require;	/* of servers' stapled responses */
	char ocsp_response[CFG_PATH_MAX];	/* DER response we staple */
};

struct cfg_realm {
	char name[CFG_NAME_MAX];
	uint32_t id;			/* media plane realm id, 1-based */
	char address[64];
	struct sockaddr_storage addr;
	uint16_t port_min, port_max;
	unsigned int max_sessions;	/* 0: limited by ports only */
	/* 1:1 NAT: the address the outside reaches this realm's ports at,
	 * written in SDP c=/o= toward public-side peers; "": address. */
	char public_address[64];
};

struct cfg_iface {
	char name[CFG_NAME_MAX];
	char address[64];
	struct sockaddr_storage addr;
	uint16_t udp_port, tcp_port, tls_port;	/* 0: not listening */
	int tls;			/* cfg_tls index or -1 */
	int realm;			/* default media realm */
	/* The name peers know us by (Contact, Via over TLS, OPTIONS From);
	 * its TLS certificate must carry it. "": our address. */
	char fqdn[128];
	int fqdn_line;			/* of fqdn in the file, for errors */
	/* 1:1 NAT: bound to address, reached from outside at this one;
	 * advertised toward public-side peers. "": address. */
	char public_address[64];
};

struct cfg_target {
	char host[128];
	/* A host name, resolved by RFC 3263 at run time (call/routing.c,
	 * sip/sip_resolve.c); else an IP literal and its address. */
	bool is_name;
	struct sockaddr_storage addr;	/* of an IP literal */
	uint16_t port;			/* as written; 0: none (SRV, default) */
	enum sip_proto proto;
	bool proto_given;		/* ;transport= was written */
	/* ";tls_name=sbc.example.test": the SIP domain the target's
	 * certificate must carry (RFC 5922 7), checked when the sending
	 * interface's TLS context has verify; "": the chain only. */
	char tls_name[128];
};

/* dns = { servers = [ "ADDR[:PORT]", ... ]; }: whom the resolver asks. */
struct cfg_dns {
	char servers[256];		/* c-ares's "a:port,b" form; "": resolv.conf */
};

/*
 * Digest credentials for a proxy set's challenges (RFC 3261 22). The
 * password is a secret: never logged, shown or dumped; config_free wipes it.
 */
struct cfg_auth {
	bool set;
	char username[128];
	char password[128];
	char realm[128];		/* "": answer any realm's challenge */
};

/* Outbound registration of the SBC with a proxy set's first live target. */
struct cfg_register {
	bool set;
	char aor[256];			/* To/From: sip:user@domain */
	unsigned int expires;		/* asked for, seconds */
	char contact[256];		/* Contact URI; "": ours on the interface */
};

struct cfg_proxy_set {
	char name[CFG_NAME_MAX];
	struct cfg_target targets[CFG_MAX_TARGETS];
	unsigned int n_targets;
	bool keepalive;			/* OPTIONS to every target */
	unsigned int keepalive_interval;	/* seconds */
	bool failover;			/* next target on 408/503/no answer */
	int iface;			/* SIP interface to send from */
	struct cfg_auth auth;
	struct cfg_register reg;
};

struct cfg_subnet {
	struct sockaddr_storage addr;
	unsigned int prefix;
};

struct cfg_ip_group {
	char name[CFG_NAME_MAX];
	struct cfg_subnet subnets[CFG_MAX_SUBNETS];
	unsigned int n_subnets;
	int proxy_set;			/* -1: none */
	int realm;			/* -1: the interface's realm */
	int iface;			/* for outgoing calls; -1: first */
	enum srtp_mode srtp;
	enum srtp_offer_form srtp_offer;	/* first form; never PLAIN */
	uint32_t suites[CFG_MAX_SUITES];	/* enum sdes_suite, by priority */
	unsigned int n_suites;		/* accepted in offers and answers */
	unsigned int n_offered_suites;	/* the first ones, in our offers */
	bool lock_on_sdp;		/* false: latching (symmetric RTP) */
	bool allow_unencrypted_srtp;	/* take UNENCRYPTED_SRTP/SRTCP lines */
	/* Hand the other leg's SDES key on (both groups must say so): the
	 * media plane then checks and forwards SRTP without re-encrypting. */
	bool srtp_pass_through;
	/* How long after each answer the media plane learns where the
	 * peer's media comes from; then the source is fixed. */
	unsigned int latch_window_ms;
	unsigned int media_timeout;	/* seconds, 0: none */
	/* RFC 4028 session timer on this group's legs: the interval we ask
	 * for (0: off, the leg behaves as if it did not know the extension)
	 * and the smallest we accept (Min-SE; below it, 422). */
	unsigned int session_expires;
	unsigned int min_se;
	unsigned int max_calls;		/* up at once, 0: no limit */
	unsigned int max_call_rate;	/* new calls per second, 0: no limit */
	int request_rate;		/* per source address, -1: sip_limits' */
	int request_burst;		/* -1: sip_limits' */
	/* Reached through the interfaces' and realms' private addresses
	 * (nat_side = "private"); false: their public_address. */
	bool nat_private;
	/* Host of the request-URI and To of INVITEs sent to this group:
	 * "": as received; "target": the proxy-set target's name; else
	 * this host (Teams wants sip.pstnhub.microsoft.com there). */
	char request_uri_host[128];
};

/* What unknown sources (outside every IP group) get for a request. */
enum unknown_policy { UNKNOWN_REJECT, UNKNOWN_DROP };

/*
 * The SIP edge's limits against floods and idle connections (sip_limits
 * in the file; config_limits.c has the defaults). 0 means no limit where
 * a comment says so. Everything here applies on reload.
 */
struct cfg_limits {
	unsigned int max_transactions;	/* server ones at once; 503 past it, 0: none */
	unsigned int max_calls_in_progress;	/* unanswered INVITEs, 0: none */
	enum unknown_policy unknown_sources;
	unsigned int unknown_sources_rate;	/* requests/s from all of them */
	unsigned int request_rate;	/* per source address per second, 0: none */
	unsigned int request_burst;	/* requests above the rate at once */
	unsigned int ban_time;		/* seconds a source over its rate is ignored */
	unsigned int max_tracked_sources;	/* addresses the limiter remembers */
	struct conn_caps conn;		/* handed to the transports */
	struct overload_params overload;	/* new calls refused when busy */
};

/* The Prometheus endpoint (metrics in the file); off unless given. */
struct cfg_metrics {
	bool enabled;
	char address[64];
	struct sockaddr_storage addr;	/* with the port */
	unsigned int max_clients;	/* connections open at once */
	unsigned int timeout;		/* seconds an idle one stays */
};

struct cfg_route {
	char name[CFG_NAME_MAX];
	int src_group;			/* -1: any */
	bool has_user, has_host;
	regex_t user_re, host_re;
	int dst_group;
	bool to_request_uri;		/* send to the request-URI's host */
};

#define CFG_MAX_USERS 2048
#define CFG_USERS_FILE_MAX (1 << 20)

/* One line of the registrar's users file: a password or an MD5 HA1. */
struct cfg_user {
	char name[64];
	char secret[128];		/* password, or 32 hex of MD5(user:realm:pw) */
	bool md5_ha1;
};

/* The registrar challenges REGISTER with digest when users_file is set. */
struct cfg_registrar {
	bool challenge;
	char realm[128];
	char users_file[CFG_PATH_MAX];
	unsigned int nonce_lifetime;	/* seconds a nonce is good for */
	/* Challenged with, in this order (enum digest_algo): MD5 alone by
	 * default, as old clients fail on any challenge they do not know. */
	unsigned int algos[2];
	unsigned int n_algos;
	/* Key of the stateless nonces' HMAC, drawn at load: a reload makes
	 * old nonces stale (clients answer the next challenge), no table. */
	uint8_t nonce_key[32];
	struct cfg_user *users;		/* [CFG_MAX_USERS], secret: wiped on free */
	unsigned int n_users;
};

struct config {
	char source[CFG_PATH_MAX];	/* file name, or "(embedded default)" */
	char state_dir[CFG_PATH_MAX];
	char control_socket[CFG_PATH_MAX];
	/* May use the control socket besides root and our own user. */
	gid_t control_group;
	bool has_control_group;
	char user_agent[64];
	int log_level;
	bool log_syslog;
	char media_backend[16];		/* "auto" or "record" */
	unsigned int max_calls;		/* in all, 0: no limit (admission.c) */
	unsigned int max_call_rate;	/* new calls per second, 0: no limit */
	struct cfg_limits limits;
	struct cfg_metrics metrics;
	struct cfg_dns dns;
	struct cfg_tls tls[CFG_MAX_OBJ];
	unsigned int n_tls;
	struct cfg_realm realms[CFG_MAX_OBJ];
	unsigned int n_realms;
	struct cfg_iface ifaces[CFG_MAX_OBJ];
	unsigned int n_ifaces;
	struct cfg_proxy_set proxy_sets[CFG_MAX_OBJ];
	unsigned int n_proxy_sets;
	struct cfg_ip_group groups[CFG_MAX_OBJ];
	unsigned int n_groups;
	struct cfg_route routes[CFG_MAX_OBJ];
	unsigned int n_routes;
	struct cfg_registrar registrar;
};

#endif

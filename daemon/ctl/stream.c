// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl stream add|set|del|get|list|flush: one direction of one
 * media leg (see SRTPRELAY_CMD_STREAM_* in the UAPI header). add and set
 * share one keyword parser; everything the header lets us check before
 * asking the kernel is checked here, so that a typo is a usage error (2)
 * and only a refusal by the kernel is a failure (1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>

#include "args.h"
#include "show.h"
#include "subcommands.h"
#include "srtp_suite.h"

#define CRYPTO_USAGE(d) \
	d "-suite SUITE [" d "-key BASE64] [" d "-mki VALUE:LEN] [" d "-roc N] [" \
	d "-seq N] [" d "-window N] [" d "-param PARAM]..."
#define STREAM_KEYWORDS \
	"out-src ADDR:PORT out-dst ADDR:PORT [out-rtcp-dst ADDR:PORT]\n" \
	"           [remote ADDR:PORT] [latch] [lock-on-sdp] [rtcp-mux-in]\n" \
	"           [rtcp-mux-out] [hold] [punt-rtcp] [pass-through] [cookie N]\n" \
	"           [latch-window MS]  (open the learning window for MS ms)\n" \
	"           " CRYPTO_USAGE("in") "\n" \
	"           " CRYPTO_USAGE("out") "\n" \
	"SUITE := AES_CM_128_HMAC_SHA1_80 | AES_CM_128_HMAC_SHA1_32 |\n" \
	"         AES_256_CM_HMAC_SHA1_80 | AES_256_CM_HMAC_SHA1_32 |\n" \
	"         AEAD_AES_128_GCM | AEAD_AES_256_GCM | NONE\n" \
	"BASE64 := the master key||salt as after 'inline:' in SDP (30, 46, 28, 44 bytes)\n" \
	"PARAM := UNENCRYPTED_SRTP | UNENCRYPTED_SRTCP | UNAUTHENTICATED_SRTP"

static const char add_usage[] = "stream add LOCAL " STREAM_KEYWORDS;
static const char set_usage[] =
	"stream set LOCAL [any keyword of stream add] [no-FLAG]...\n"
	"(a flag keyword sets that flag, no-FLAG clears it, e.g. no-hold;\n"
	" IN- or OUT- keywords replace that direction's crypto and need its -suite)";
static const char del_usage[] = "stream del LOCAL";
static const char get_usage[] = "[-j] stream get LOCAL";
static const char list_usage[] = "[-j] stream list";
static const char flush_usage[] = "stream flush [cookie N]";
static const char stream_usage[] =
	"stream { add | set | del | get | list | flush } ... (see --help of each)";

enum dir { IN, OUT };

enum kw_kind {
	KW_ADDR, KW_FLAG, KW_COOKIE, KW_SUITE, KW_KEY, KW_MKI, KW_ROC, KW_SEQ,
	KW_WINDOW, KW_PARAM, KW_LATCH_WINDOW,
};

struct keyword {
	const char *name;
	enum kw_kind kind;
	enum dir dir;
	uint32_t value;		/* RELAY_NL_HAS_* or a flag bit */
};

static const struct keyword keywords[] = {
	{ "out-src", KW_ADDR, IN, RELAY_NL_HAS_OUT_SRC },
	{ "out-dst", KW_ADDR, IN, RELAY_NL_HAS_OUT_DST },
	{ "out-rtcp-dst", KW_ADDR, IN, RELAY_NL_HAS_OUT_RTCP_DST },
	{ "remote", KW_ADDR, IN, RELAY_NL_HAS_REMOTE },
	{ "latch", KW_FLAG, IN, SRTPRELAY_STREAM_F_LATCH },
	{ "lock-on-sdp", KW_FLAG, IN, SRTPRELAY_STREAM_F_LOCK_ON_SDP },
	{ "rtcp-mux-in", KW_FLAG, IN, SRTPRELAY_STREAM_F_RTCP_MUX_IN },
	{ "rtcp-mux-out", KW_FLAG, IN, SRTPRELAY_STREAM_F_RTCP_MUX_OUT },
	{ "hold", KW_FLAG, IN, SRTPRELAY_STREAM_F_HOLD },
	{ "punt-rtcp", KW_FLAG, IN, SRTPRELAY_STREAM_F_PUNT_RTCP },
	{ "pass-through", KW_FLAG, IN, SRTPRELAY_STREAM_F_PASS_THROUGH },
	{ "cookie", KW_COOKIE, IN, 0 },
	{ "latch-window", KW_LATCH_WINDOW, IN, 0 },
	{ "in-suite", KW_SUITE, IN, 0 },
	{ "in-key", KW_KEY, IN, 0 },
	{ "in-mki", KW_MKI, IN, 0 },
	{ "in-roc", KW_ROC, IN, 0 },
	{ "in-seq", KW_SEQ, IN, 0 },
	{ "in-window", KW_WINDOW, IN, 0 },
	{ "in-param", KW_PARAM, IN, 0 },
	{ "out-suite", KW_SUITE, OUT, 0 },
	{ "out-key", KW_KEY, OUT, 0 },
	{ "out-mki", KW_MKI, OUT, 0 },
	{ "out-roc", KW_ROC, OUT, 0 },
	{ "out-seq", KW_SEQ, OUT, 0 },
	{ "out-window", KW_WINDOW, OUT, 0 },
	{ "out-param", KW_PARAM, OUT, 0 },
};
#define KEYWORD_COUNT (sizeof(keywords) / sizeof(keywords[0]))

/* RFC 4568 section 6.3 spellings of the session parameters. */
static const struct {
	const char *name;
	uint32_t flag;
} params[] = {
	{ "UNENCRYPTED_SRTP", SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTP },
	{ "UNENCRYPTED_SRTCP", SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP },
	{ "UNAUTHENTICATED_SRTP", SRTPRELAY_CRYPTO_F_UNAUTHENTICATED_SRTP },
};

static const char *const dir_name[] = { "in", "out" };

struct stream_req {
	struct relay_nl_stream s;
	uint32_t flags_on, flags_off;
	bool suite[2];		/* X-suite given */
	bool key[2];		/* X-key given */
	uint8_t key_salt[2][CTL_KEY_SALT_MAX];	/* X-key, split once the suite is known */
	uint8_t key_salt_len[2];
	const char *extra[2];	/* first X- keyword other than suite/key */
};

static const struct keyword *find_keyword(const char *name)
{
	size_t i;

	for (i = 0; i < KEYWORD_COUNT; i++)
		if (!strcmp(name, keywords[i].name))
			return &keywords[i];
	return NULL;
}

static struct sockaddr_storage *addr_field(struct relay_nl_stream *s,
					   uint32_t has)
{
	switch (has) {
	case RELAY_NL_HAS_OUT_SRC:
		return &s->out_src;
	case RELAY_NL_HAS_OUT_DST:
		return &s->out_dst;
	case RELAY_NL_HAS_OUT_RTCP_DST:
		return &s->out_rtcp_dst;
	default:
		return &s->remote;
	}
}

/*
 * Parses argv[0] LOCAL and the keywords after it into @req. Returns 0, or
 * prints a usage error and returns EXIT_USAGE. Key arguments are wiped
 * from argv once decoded, so that they do not linger in /proc/PID/cmdline.
 */
static int parse_stream(int argc, char *argv[], const char *what,
			const char *usage, struct stream_req *req)
{
	bool seen[KEYWORD_COUNT] = { false };
	int i;

	memset(req, 0, sizeof(*req));
	if (argc < 1)
		return usage_error(usage, "%s: LOCAL address and port missing", what);
	if (!parse_endpoint(argv[0], &req->s.local))
		return usage_error(usage,
				   "%s: LOCAL '%s' is not ADDR:PORT (10.0.1.1:30000 or [fd00::1]:30000)",
				   what, argv[0]);
	for (i = 1; i < argc; i++) {
		const char *name = argv[i], *arg;
		const struct keyword *kw = find_keyword(name);
		bool negated = false;
		struct relay_nl_crypto *c;
		const char *why;

		if (!kw && !strncmp(name, "no-", 3)) {
			kw = find_keyword(name + 3);
			negated = kw && kw->kind == KW_FLAG;
			if (!negated)
				kw = NULL;
		}
		if (!kw)
			return usage_error(usage, "%s: unknown keyword '%s'", what,
					   name);
		if (seen[kw - keywords] && kw->kind != KW_PARAM)
			return usage_error(usage,
					   "%s: '%s' given twice (or with its no- form)",
					   what, kw->name);
		seen[kw - keywords] = true;
		if (kw->kind == KW_FLAG) {
			if (negated)
				req->flags_off |= kw->value;
			else
				req->flags_on |= kw->value;
			continue;
		}
		if (i + 1 >= argc)
			return usage_error(usage, "%s: '%s' needs a value", what,
					   name);
		arg = argv[++i];
		c = kw->dir == IN ? &req->s.in : &req->s.out;
		switch (kw->kind) {
		case KW_ADDR:
			if (!parse_endpoint(arg, addr_field(&req->s, kw->value)))
				return usage_error(usage,
						   "%s: %s '%s' is not ADDR:PORT (10.0.1.1:30000 or [fd00::1]:30000)",
						   what, name, arg);
			req->s.has |= kw->value;
			break;
		case KW_COOKIE:
			if (!parse_u64(arg, UINT64_MAX, &req->s.cookie))
				return usage_error(usage,
						   "%s: cookie '%s' is not an unsigned 64-bit number",
						   what, arg);
			req->s.has |= RELAY_NL_HAS_COOKIE;
			break;
		case KW_LATCH_WINDOW:
			if (!parse_u32(arg, &req->s.latch_window_ms) ||
			    req->s.latch_window_ms > SRTPRELAY_LATCH_WINDOW_MAX_MS)
				return usage_error(usage,
						   "%s: latch-window '%s' is not a number of milliseconds up to %u",
						   what, arg, SRTPRELAY_LATCH_WINDOW_MAX_MS);
			req->s.has |= RELAY_NL_HAS_LATCH_WINDOW;
			break;
		case KW_SUITE:
			if (relay_nl_suite_parse(arg, &c->suite) < 0)
				return usage_error(usage,
						   "%s: unknown suite '%s' (AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32, AES_256_CM_HMAC_SHA1_80, AES_256_CM_HMAC_SHA1_32, AEAD_AES_128_GCM, AEAD_AES_256_GCM or NONE)",
						   what, arg);
			req->suite[kw->dir] = true;
			break;
		case KW_KEY:
			if (!parse_key(arg, req->key_salt[kw->dir],
				       &req->key_salt_len[kw->dir], &why)) {
				OPENSSL_cleanse(argv[i], strlen(argv[i]));
				return usage_error(usage, "%s: %s: %s", what, name,
						   why);
			}
			OPENSSL_cleanse(argv[i], strlen(argv[i]));
			req->key[kw->dir] = true;
			break;
		case KW_MKI:
			if (!parse_mki(arg, c->mki, &c->mki_len))
				return usage_error(usage,
						   "%s: %s '%s' is not VALUE:LEN with LEN 1..%d bytes and VALUE fitting in them",
						   what, name, arg, SRTPRELAY_MKI_MAX_LEN);
			break;
		case KW_ROC:
			if (!parse_u32(arg, &c->roc))
				return usage_error(usage,
						   "%s: %s '%s' is not an unsigned 32-bit number",
						   what, name, arg);
			c->has_roc = true;
			break;
		case KW_SEQ:
			if (!parse_u16(arg, &c->seq))
				return usage_error(usage,
						   "%s: %s '%s' is not a sequence number 0..65535",
						   what, name, arg);
			c->has_seq = true;
			break;
		case KW_WINDOW:
			if (!parse_u16(arg, &c->replay_window) ||
			    c->replay_window < SRTPRELAY_REPLAY_WINDOW_MIN ||
			    c->replay_window > SRTPRELAY_REPLAY_WINDOW_MAX)
				return usage_error(usage,
						   "%s: %s '%s' is not a replay window of %d..%d packets",
						   what, name, arg,
						   SRTPRELAY_REPLAY_WINDOW_MIN,
						   SRTPRELAY_REPLAY_WINDOW_MAX);
			break;
		case KW_PARAM: {
			size_t p;

			for (p = 0; p < sizeof(params) / sizeof(params[0]); p++)
				if (!strcmp(arg, params[p].name))
					break;
			if (p == sizeof(params) / sizeof(params[0]))
				return usage_error(usage,
						   "%s: %s '%s' is not UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP or UNAUTHENTICATED_SRTP",
						   what, name, arg);
			c->flags |= params[p].flag;
			break;
		}
		case KW_FLAG:
			break;
		}
		if (kw->kind != KW_SUITE && kw->kind != KW_KEY &&
		    kw->kind != KW_ADDR && kw->kind != KW_COOKIE &&
		    kw->kind != KW_LATCH_WINDOW &&
		    !req->extra[kw->dir])
			req->extra[kw->dir] = kw->name;
	}
	return 0;
}

/* The key||salt given for direction @d into the suite's key and salt. */
static int split_key(struct stream_req *req, int d)
{
	struct relay_nl_crypto *c = d == IN ? &req->s.in : &req->s.out;
	struct srtp_suite_info suite = srtp_suite_info(c->suite);

	if (req->key_salt_len[d] != suite.key_len + suite.salt_len)
		return -1;
	memcpy(c->key, req->key_salt[d], suite.key_len);
	memcpy(c->salt, req->key_salt[d] + suite.key_len, suite.salt_len);
	OPENSSL_cleanse(req->key_salt[d], sizeof(req->key_salt[d]));
	return 0;
}

/* What the UAPI header lets us refuse before asking the kernel. */
static int check_stream(struct stream_req *req, bool add, const char *what,
			const char *usage)
{
	uint32_t both = SRTPRELAY_STREAM_F_LATCH | SRTPRELAY_STREAM_F_LOCK_ON_SDP;
	int d;

	if (add) {
		if (!(req->s.has & RELAY_NL_HAS_OUT_SRC))
			return usage_error(usage, "%s: out-src is required", what);
		if (!(req->s.has & RELAY_NL_HAS_OUT_DST))
			return usage_error(usage, "%s: out-dst is required", what);
		if (!req->suite[IN] || !req->suite[OUT])
			return usage_error(usage, "%s: %s-suite is required", what,
					   req->suite[IN] ? "out" : "in");
		if ((req->flags_on & SRTPRELAY_STREAM_F_LOCK_ON_SDP) &&
		    !(req->s.has & RELAY_NL_HAS_REMOTE))
			return usage_error(usage, "%s: lock-on-sdp needs remote",
					   what);
	}
	if ((req->flags_on & both) == both)
		return usage_error(usage,
				   "%s: latch and lock-on-sdp exclude each other",
				   what);
	if ((req->s.has & RELAY_NL_HAS_OUT_SRC) &&
	    (req->s.has & RELAY_NL_HAS_OUT_DST) &&
	    req->s.out_src.ss_family != req->s.out_dst.ss_family)
		return usage_error(usage,
				   "%s: out-src and out-dst must be of the same address family",
				   what);
	for (d = IN; d <= OUT; d++) {
		const struct relay_nl_crypto *c = d == IN ? &req->s.in : &req->s.out;
		const char *n = dir_name[d];

		if (!req->suite[d]) {
			if (req->key[d] || req->extra[d])
				return usage_error(usage,
						   "%s: %s needs %s-suite: a direction's crypto is given whole",
						   what, req->key[d] ? (d == IN ? "in-key" : "out-key") :
						   req->extra[d], n);
			continue;
		}
		if (c->suite == SRTPRELAY_SUITE_NONE) {
			if (req->key[d] || req->extra[d])
				return usage_error(usage,
						   "%s: %s-suite NONE takes no %s",
						   what, n, req->key[d] ?
						   (d == IN ? "in-key" : "out-key") :
						   req->extra[d]);
		} else if (!req->key[d]) {
			return usage_error(usage, "%s: %s-suite %s needs %s-key",
					   what, n, relay_nl_suite_name(c->suite), n);
		} else if (split_key(req, d)) {
			return usage_error(usage,
					   "%s: %s-key is %u bytes, %s needs %u (key||salt)",
					   what, n, req->key_salt_len[d],
					   relay_nl_suite_name(c->suite),
					   srtp_suite_info(c->suite).key_len +
					   srtp_suite_info(c->suite).salt_len);
		}
	}
	req->s.has |= (req->suite[IN] ? RELAY_NL_HAS_IN_CRYPTO : 0) |
		      (req->suite[OUT] ? RELAY_NL_HAS_OUT_CRYPTO : 0);
	return 0;
}

static int stream_add(int argc, char *argv[])
{
	char local[ENDPOINT_STRLEN];
	struct stream_req req;
	struct relay_nl *nl;
	int status;

	status = parse_stream(argc - 1, argv + 1, "stream add", add_usage, &req);
	if (!status)
		status = check_stream(&req, true, "stream add", add_usage);
	if (status)
		goto out;
	if (req.flags_on) {
		req.s.flags = req.flags_on;
		req.s.has |= RELAY_NL_HAS_FLAGS;
	}
	nl = ctl_open();
	if (!nl) {
		status = EXIT_FAIL;
		goto out;
	}
	if (relay_nl_stream_add(nl, &req.s) < 0)
		status = ctl_fail(nl, "stream add %s",
				  format_endpoint(&req.s.local, local, sizeof(local)));
	relay_nl_close(nl);
out:
	OPENSSL_cleanse(&req, sizeof(req));
	return status;
}

static int stream_set(int argc, char *argv[])
{
	char local[ENDPOINT_STRLEN];
	struct relay_nl_stream cur;
	struct stream_req req;
	struct relay_nl *nl;
	int status;

	status = parse_stream(argc - 1, argv + 1, "stream set", set_usage, &req);
	if (!status)
		status = check_stream(&req, false, "stream set", set_usage);
	if (status)
		goto out;
	if (!req.s.has && !req.flags_on && !req.flags_off) {
		status = usage_error(set_usage, "stream set: nothing to change");
		goto out;
	}
	format_endpoint(&req.s.local, local, sizeof(local));
	nl = ctl_open();
	if (!nl) {
		status = EXIT_FAIL;
		goto out;
	}
	/*
	 * SRTPRELAY_A_STREAM_FLAGS replaces all flags, but "stream set X hold"
	 * must not drop latch: read the flags and change only those named.
	 */
	if (req.flags_on || req.flags_off) {
		if (relay_nl_stream_get(nl, &req.s.local, &cur) < 0) {
			status = ctl_fail(nl, "stream set %s: reading its flags",
					  local);
			goto close;
		}
		req.s.flags = (cur.flags & ~req.flags_off) | req.flags_on;
		req.s.has |= RELAY_NL_HAS_FLAGS;
	}
	if (relay_nl_stream_set(nl, &req.s) < 0)
		status = ctl_fail(nl, "stream set %s", local);
close:
	relay_nl_close(nl);
out:
	OPENSSL_cleanse(&req, sizeof(req));
	return status;
}

static int parse_local(int argc, char *argv[], const char *what,
		       const char *usage, struct sockaddr_storage *local)
{
	if (argc != 2)
		return usage_error(usage, "%s: wrong number of arguments", what);
	if (!parse_endpoint(argv[1], local))
		return usage_error(usage,
				   "%s: LOCAL '%s' is not ADDR:PORT (10.0.1.1:30000 or [fd00::1]:30000)",
				   what, argv[1]);
	return 0;
}

static int stream_del(int argc, char *argv[])
{
	struct sockaddr_storage local;
	struct relay_nl *nl;
	int status;

	status = parse_local(argc, argv, "stream del", del_usage, &local);
	if (status)
		return status;
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_stream_del(nl, &local) < 0)
		status = ctl_fail(nl, "stream del %s", argv[1]);
	relay_nl_close(nl);
	return status;
}

static int stream_get(int argc, char *argv[])
{
	struct sockaddr_storage local;
	struct relay_nl_stream s;
	struct json json;
	struct relay_nl *nl;
	int status;

	status = parse_local(argc, argv, "stream get", get_usage, &local);
	if (status)
		return status;
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_stream_get(nl, &local, &s) < 0) {
		status = ctl_fail(nl, "stream get %s", argv[1]);
	} else if (json_output) {
		json_init(&json, stdout);
		print_stream(&json, &s);
		json_end(&json);
	} else {
		print_stream(NULL, &s);
	}
	relay_nl_close(nl);
	return status;
}

struct list_state {
	struct json *j;
	bool first;
};

static int list_one(const struct relay_nl_stream *s, void *arg)
{
	struct list_state *st = arg;

	if (!st->j && !st->first)
		printf("\n");
	st->first = false;
	print_stream(st->j, s);
	return 0;
}

static int stream_list(int argc, char *argv[])
{
	struct list_state st = { NULL, true };
	struct relay_nl *nl;
	struct json json;
	int status = EXIT_OK;

	if (argc != 1)
		return usage_error(list_usage, "stream list: unexpected argument '%s'",
				   argv[1]);
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (json_output) {
		st.j = &json;
		if (!json_init_buffered(st.j)) {
			relay_nl_close(nl);
			fprintf(stderr, "%s: stream list: out of memory\n",
				PROG_NAME);
			return EXIT_FAIL;
		}
		json_array_open(st.j, NULL);
	}
	if (relay_nl_stream_dump(nl, list_one, &st) < 0)
		status = ctl_fail(nl, "stream list");
	else if (st.j)
		json_array_close(st.j);
	if (st.j)
		json_commit(st.j, stdout, status == EXIT_OK);
	relay_nl_close(nl);
	return status;
}

static int stream_flush(int argc, char *argv[])
{
	struct relay_nl *nl;
	uint64_t cookie;
	int status = EXIT_OK;

	if (argc != 1 && argc != 3)
		return usage_error(flush_usage, "stream flush: wrong number of arguments");
	if (argc == 3) {
		if (strcmp(argv[1], "cookie"))
			return usage_error(flush_usage,
					   "stream flush: unknown keyword '%s'",
					   argv[1]);
		if (!parse_u64(argv[2], UINT64_MAX, &cookie))
			return usage_error(flush_usage,
					   "stream flush: cookie '%s' is not an unsigned 64-bit number",
					   argv[2]);
	}
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_stream_flush(nl, argc == 3 ? &cookie : NULL) < 0)
		status = argc == 3 ?
			 ctl_fail(nl, "stream flush cookie %" PRIu64, cookie) :
			 ctl_fail(nl, "stream flush");
	relay_nl_close(nl);
	return status;
}

int stream_main(int argc, char *argv[])
{
	static const struct ctl_op ops[] = {
		{ "add", stream_add, add_usage },
		{ "set", stream_set, set_usage },
		{ "del", stream_del, del_usage },
		{ "get", stream_get, get_usage },
		{ "list", stream_list, list_usage },
		{ "flush", stream_flush, flush_usage },
	};

	return ctl_dispatch("stream", stream_usage,
			    "add, set, del, get, list, flush", ops,
			    sizeof(ops) / sizeof(ops[0]), argc, argv);
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target over srtprelayd's parsing entry points: stream framing
 * (sip_frame), the SIP message parser with our checks (sip_msg_parse) and
 * the option-tag readers session timers use (sip_hdr_has_token), the
 * overload screen's raw read of a request (sip_peek_request), the
 * SDP parser (sdp_parse) and the SRTP policy on what it parsed, which runs
 * every a=crypto line through sdes_parse, and on responses what says
 * whether they refuse an offer (Warning codes, Accept). The first byte
 * picks the entry.
 *
 *   make fuzz && build/fuzz/fuzz_sip -max_total_time=60 test/fuzz/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/digest.h"
#include "sip/sip_msg.h"
#include "sip/sip_peek.h"
#include "call/srtp_policy.h"
#include "sip/sip_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_sdp(const char *buf, size_t len)
{
	static struct sdp sdp;
	static struct cfg_ip_group g;
	struct policy_line pl[SDP_MAX_MEDIA];
	char why[256];
	int mode;

	if (sdp_parse(buf, len, &sdp, why, sizeof(why)))
		return;
	g.n_suites = 2;
	g.suites[0] = SDES_SUITE_AES_CM_128_HMAC_SHA1_80;
	g.suites[1] = SDES_SUITE_AES_CM_128_HMAC_SHA1_32;
	for (mode = SRTP_MANDATORY; mode <= SRTP_DISABLED; mode++) {
		g.srtp = (enum srtp_mode)mode;
		srtp_policy_offer(&g, &sdp, pl, why, sizeof(why));
		for (unsigned int i = 0; i < SDP_MAX_MEDIA; i++)
			sdes_crypto_wipe(&pl[i].crypto);
	}
	sdp_release(&sdp);
}

/* What the digest client and registrar read of a parsed message. */
static void fuzz_digest(const osip_message_t *m)
{
	static const uint8_t key[DIGEST_NONCE_KEY_LEN];
	struct digest_challenge ch;
	struct digest_answer a;
	char hdr[1024];

	if (!digest_pick_challenge(m, &ch))
		digest_authorization(hdr, sizeof(hdr), &ch, "u", "p", "INVITE",
				     "sip:x", 1, "c");
	if (!digest_answer_of(m, "r", &a)) {
		digest_answer_valid(&a, "0123456789abcdef0123456789abcdef", "REGISTER");
		digest_nonce_check(key, "r", a.nonce, 1000, 300);
	}
}

/* The overload screen's read of a raw request, and the 503 built from it. */
static void fuzz_peek(const char *buf, size_t len)
{
	struct sip_peek pk;
	struct sbuf b;

	if (!sip_peek_request(buf, len, &pk))
		return;
	sb_init(&b);
	sip_peek_response(&b, &pk, 503, "Service Unavailable", "tag",
			  "Retry-After: 2\r\n");
	sb_free(&b);
}

static void fuzz_sip(const char *buf, size_t len)
{
	osip_message_t *m = NULL;
	char why[128];
	size_t sdp_len;
	const char *sdp;

	fuzz_peek(buf, len);
	if (sip_msg_parse(buf, len, &m, why, sizeof(why)) == SIP_PARSE_DROP)
		return;
	sdp = sip_sdp_body(m, &sdp_len);
	if (sdp)
		fuzz_sdp(sdp, sdp_len);
	sip_branch(m);
	sip_to_tag(m);
	sip_from_tag(m);
	if (MSG_IS_RESPONSE(m))
		sip_refuses_offer(m);	/* Warning values, Accept */
	fuzz_digest(m);
	/* What session timers read of any message (RFC 4028). */
	sip_hdr_has_token(m, "Supported", "k", "timer");
	sip_hdr_has_token(m, "Allow", NULL, "UPDATE");
	{
		const char *v = sip_hdr(m, "Require");
		char opts[256];

		if (v)
			sip_tokens_without(v, "timer", opts, sizeof(opts));
	}
	osip_message_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	size_t crlf;
	char *buf;

	if (!ready) {
		sip_msg_init();
		ready = 1;
	}
	if (size < 1)
		return 0;
	/* An exact-size copy, so ASan sees any read past the end. */
	buf = malloc(size - 1 ? size - 1 : 1);
	memcpy(buf, data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		fuzz_sip(buf, size - 1);
		break;
	case 1:
		fuzz_sdp(buf, size - 1);
		break;
	default:
		sip_frame(buf, size - 1, &crlf);
		break;
	}
	free(buf);
	return 0;
}

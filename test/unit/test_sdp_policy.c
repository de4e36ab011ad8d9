// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayd's SDP parser/writer and media security policy, compiled in
 * from daemon/ (they need neither osip2 nor libconfig): the policy table
 * cell by cell, crypto line choice by priority, Teams-style lines, offers
 * with alternatives, and parsing from buffers that are not NUL-terminated.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/base/sbuf.c"
#include "../../daemon/base/secret_mem.c"
#include "../../daemon/sip/sdp.c"
#include "../../daemon/call/srtp_policy.c"
#include "testing.h"

#define K "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

/* Parses @text from an exact-size heap copy, so ASan catches over-reads. */
static int parse(const char *text, struct sdp *s, char *err)
{
	size_t n = strlen(text);
	char *buf = malloc(n ? n : 1);
	int rc;

	memcpy(buf, text, n);
	rc = sdp_parse(buf, n, s, err, 128);
	free(buf);
	return rc;
}

static struct sdp *offer(const char *media)
{
	static struct sdp s;
	char text[2048], err[128];

	snprintf(text, sizeof(text), "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
		 "c=IN IP4 10.0.0.1\r\nt=0 0\r\n%s", media);
	sdp_release(&s);		/* the previous offer's */
	if (parse(text, &s, err))
		printf("    offer did not parse: %s\n", err);
	return &s;
}

static struct cfg_ip_group group(enum srtp_mode mode)
{
	struct cfg_ip_group g = { .srtp = mode, .n_suites = 2,
		.suites = { SDES_SUITE_AES_CM_128_HMAC_SHA1_80,
			    SDES_SUITE_AES_CM_128_HMAC_SHA1_32 } };
	return g;
}

static void policy_table_matches_the_issue(void)
{
	static const enum policy_action want[3][3] = {
		{ POLICY_SRTP, POLICY_SRTP, POLICY_REJECT },
		{ POLICY_SRTP, POLICY_SRTP, POLICY_RTP },
		{ POLICY_REJECT, POLICY_RTP, POLICY_RTP },
	};
	int m, k;

	for (m = 0; m < 3; m++)
		for (k = 0; k < 3; k++)
			CHECK(srtp_policy_decide(m, k) == want[m][k], "mode %d kind %d", m, k);
	for (m = 0; m < 3; m++)
		CHECK(srtp_policy_decide(m, OFFER_SRTP_UNUSABLE) == POLICY_REJECT, "mode %d", m);
}

static void offers_decided_per_mode(void)
{
	struct policy_line pl[SDP_MAX_MEDIA];
	struct cfg_ip_group g;
	char why[256];
	const char *savp = "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n";
	const char *be = "m=audio 4000 RTP/AVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n";
	const char *rtp = "m=audio 4000 RTP/AVP 0\r\n";

	g = group(SRTP_MANDATORY);
	CHECK(!srtp_policy_offer(&g, offer(savp), pl, why, sizeof(why)) && pl[0].srtp, "mand savp");
	CHECK(!srtp_policy_offer(&g, offer(be), pl, why, sizeof(why)) && pl[0].srtp, "mand be");
	CHECK(srtp_policy_offer(&g, offer(rtp), pl, why, sizeof(why)) == 488, "mand rtp");
	CHECK(strstr(why, "mandatory") != NULL, "reason names the mode: %s", why);
	g = group(SRTP_PREFERABLE);
	CHECK(!srtp_policy_offer(&g, offer(rtp), pl, why, sizeof(why)) && pl[0].use &&
	      !pl[0].srtp, "pref rtp");
	g = group(SRTP_DISABLED);
	CHECK(srtp_policy_offer(&g, offer(savp), pl, why, sizeof(why)) == 488, "dis savp");
	CHECK(!srtp_policy_offer(&g, offer(be), pl, why, sizeof(why)) && !pl[0].srtp, "dis be");
}

static void priority_list_picks_the_line(void)
{
	struct cfg_ip_group g = group(SRTP_MANDATORY);
	struct policy_line pl[SDP_MAX_MEDIA];
	char why[256];
	struct sdp *s = offer("m=audio 4000 RTP/SAVP 0\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n"
			      "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" K "\r\n");

	CHECK(!srtp_policy_offer(&g, s, pl, why, sizeof(why)) && pl[0].crypto.tag == 1, "80 first");
	g.suites[0] = SDES_SUITE_AES_CM_128_HMAC_SHA1_32;
	g.suites[1] = SDES_SUITE_AES_CM_128_HMAC_SHA1_80;
	CHECK(!srtp_policy_offer(&g, s, pl, why, sizeof(why)) && pl[0].crypto.tag == 2, "32 first");
	g.n_suites = 1;
	g.suites[0] = SDES_SUITE_AES_CM_128_HMAC_SHA1_32;
	s = offer("m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n");
	CHECK(srtp_policy_offer(&g, s, pl, why, sizeof(why)) == 488,
	      "a suite outside the group's list is unusable");
}

static void teams_lines_accepted(void)
{
	struct cfg_ip_group g = group(SRTP_MANDATORY);
	struct policy_line pl[SDP_MAX_MEDIA];
	char why[256];
	struct sdp *s = offer("m=audio 4000 RTP/AVP 0\r\n"
			      "a=crypto:0 AES_CM_128_HMAC_SHA1_32 inline:" K "|2^31|1:1\r\n");

	CHECK(!srtp_policy_offer(&g, s, pl, why, sizeof(why)), "%s", why);
	CHECK(pl[0].srtp && pl[0].crypto.tag == 0 && pl[0].crypto.keys[0].mki_len == 1 &&
	      pl[0].crypto.keys[0].mki == 1, "tag 0, MKI 1:1");
}

static void unusable_lines_skipped_for_a_usable_one(void)
{
	struct cfg_ip_group g = group(SRTP_MANDATORY);
	struct policy_line pl[SDP_MAX_MEDIA];
	char why[256];
	struct sdp *s = offer("m=audio 4000 RTP/SAVP 0\r\n"
			      "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:" K K "\r\n"
			      "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:garbage\r\n"
			      "a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:" K " KDR=3\r\n"
			      "a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:" K "|2^20|1:5\r\n"
			      "a=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n");

	CHECK(!srtp_policy_offer(&g, s, pl, why, sizeof(why)), "%s", why);
	CHECK(pl[0].crypto_idx == 4 && pl[0].crypto.tag == 5, "took line %d", pl[0].crypto_idx);
}

static void weakening_lines_declined(void)
{
	struct cfg_ip_group g = group(SRTP_MANDATORY);
	struct policy_line pl[SDP_MAX_MEDIA];
	char why[256];
	const char *unauth = "m=audio 4000 RTP/SAVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K " UNAUTHENTICATED_SRTP\r\n";
	const char *unenc = "m=audio 4000 RTP/SAVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K " UNENCRYPTED_SRTCP\r\n";

	CHECK(srtp_policy_offer(&g, offer(unauth), pl, why, sizeof(why)) == 488 &&
	      strstr(why, "UNAUTHENTICATED_SRTP"), "unauthenticated: 488, %s", why);
	CHECK(srtp_policy_offer(&g, offer(unenc), pl, why, sizeof(why)) == 488 &&
	      strstr(why, "allow_unencrypted_srtp"), "unencrypted SRTCP: 488, %s", why);
	g.allow_unencrypted_srtp = true;
	CHECK(!srtp_policy_offer(&g, offer(unenc), pl, why, sizeof(why)) && pl[0].srtp &&
	      (pl[0].crypto.flags & SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP),
	      "allowed: taken with its flag");
	CHECK(srtp_policy_offer(&g, offer(unauth), pl, why, sizeof(why)) == 488,
	      "allowed or not, unauthenticated is not SRTP");
	g = group(SRTP_PREFERABLE);
	CHECK(!srtp_policy_offer(&g, offer("m=audio 4000 RTP/AVP 0\r\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K " UNAUTHENTICATED_SRTP\r\n"),
		pl, why, sizeof(why)) && pl[0].use && !pl[0].srtp,
	      "preferable RTP/AVP with an unauthenticated line: plain RTP");
}

static void refusal_reason_survives_the_suite_list(void)
{
	struct cfg_ip_group g = group(SRTP_MANDATORY);
	struct policy_line pl[SDP_MAX_MEDIA];
	char why[256];
	struct sdp *s = offer("m=audio 4000 RTP/SAVP 0\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "|2^20|1:4;inline:"
			      "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw|2^20|2:4\r\n");

	CHECK(srtp_policy_offer(&g, s, pl, why, sizeof(why)) == 488, "two keys: 488");
	CHECK(strstr(why, "2 keys in one line") && !strstr(why, "not in this group's list"),
	      "the line's own reason: %s", why);
}

static void alternatives_collapse_to_one_line(void)
{
	struct policy_line pl[SDP_MAX_MEDIA];
	struct cfg_ip_group g = group(SRTP_MANDATORY);
	char why[256];
	struct sdp *s = offer("m=audio 4000 RTP/SAVP 0 8\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n"
			      "m=audio 4002 RTP/AVP 0 8\r\n");

	CHECK(!srtp_policy_offer(&g, s, pl, why, sizeof(why)), "%s", why);
	CHECK(pl[0].use && pl[0].srtp && !pl[1].use, "mandatory: the SAVP line");
	g = group(SRTP_DISABLED);
	CHECK(!srtp_policy_offer(&g, s, pl, why, sizeof(why)), "%s", why);
	CHECK(!pl[0].use && pl[1].use && !pl[1].srtp, "disabled: the AVP line");
}

static void sdp_rejects_what_it_cannot_relay(void)
{
	struct sdp s;
	char err[128];

	CHECK(parse("", &s, err) < 0, "empty");
	CHECK(parse("o=- 1 1 IN IP4 1.2.3.4\r\n", &s, err) < 0, "no v=0");
	CHECK(parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", &s, err) < 0 &&
	      strstr(err, "m="), "no m=: %s", err);
	CHECK(parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio 4 RTP/AVP 0\r\n", &s, err) < 0 &&
	      strstr(err, "c="), "no c=: %s", err);
	CHECK(parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 224.2.1.1/127\r\nm=audio 4 RTP/AVP 0\r\n",
		    &s, err) < 0, "multicast c=");
	CHECK(parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\nm=audio 70000 RTP/AVP 0\r\n",
		    &s, err) < 0, "port 70000");
	CHECK(!parse("v=0\no=- 1 1 IN IP4 1.2.3.4\nc=IN IP4 1.2.3.4\nm=audio 4 RTP/AVP 0", &s, err),
	      "LF line ends and no final newline: %s", err);
	sdp_release(&s);
}

/* SDP_TEXT_MAX of one line's attributes, past it a clear refusal. */
static void sdp_text_sized_to_what_was_received(void)
{
	static const char rtpmap[] = "rtpmap:101 telephone-event/8000";
	static const char crypto[] = "1 AES_CM_128_HMAC_SHA1_80 inline:" K;
	struct sdp *s = offer("m=audio 4000 RTP/SAVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n"
			      "m=video 0 RTP/SAVP 96\r\n");
	char text[SDP_TEXT_MAX + 1024], err[128];
	size_t n, used = sizeof(rtpmap) + sizeof(crypto);
	struct sdp big;

	CHECK(s->n_media == 2 && s->media[0].text_len == used &&
	      malloc_usable_size(s->media[0].text) < used + 32,
	      "line 1: %u bytes of text in a block of %zu", s->media[0].text_len,
	      malloc_usable_size(s->media[0].text));
	CHECK(!s->media[1].text && !s->media[1].text_len && !s->text, "no text, no block");
	CHECK(!strcmp(sdp_attr(&s->media[0], 0), rtpmap) &&
	      !strcmp(sdp_crypto(&s->media[0], 0), crypto), "attribute and crypto line kept");
	/* Eight crypto lines of 300 bytes, as a Teams offer with MKIs and
	 * every suite could be: within the limit. */
	n = (size_t)snprintf(text, sizeof(text), "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\n"
			     "m=audio 4 RTP/SAVP 0\r\n");
	for (int i = 1; i <= SDP_MAX_CRYPTO; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:" K "|2^20|1:4;%.220s\r\n",
				      i, "KDR=0 FEC_ORDER=FEC_SRTP WSH=64 UNENCRYPTED_SRTCP "
				      "KDR=0 FEC_ORDER=FEC_SRTP WSH=64 UNENCRYPTED_SRTCP "
				      "KDR=0 FEC_ORDER=FEC_SRTP WSH=64 UNENCRYPTED_SRTCP "
				      "KDR=0 FEC_ORDER=FEC_SRTP WSH=64 UNENCRYPTED_SRTCP ");
	CHECK(!parse(text, &big, err) && big.media[0].n_crypto == SDP_MAX_CRYPTO,
	      "%d crypto lines of ~300 bytes: %s", SDP_MAX_CRYPTO, err);
	sdp_release(&big);
	while (n + 210 < sizeof(text) - 64)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "a=x-pad:%0190d\r\n", 0);
	CHECK(parse(text, &big, err) < 0 && strstr(err, "over 6144 bytes") && !big.media[0].text,
	      "past SDP_TEXT_MAX: %s", err);
}

static void written_sdp_parses_back(void)
{
	struct sdp *in = offer("m=audio 4000 RTP/SAVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
			       "a=sendonly\r\na=candidate:1 1 UDP 1 10.0.0.1 4000 typ host\r\n"
			       "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" K "\r\n");
	struct sdp_media_out out = { .port = 30000, .rtcp_mux = true, .n_crypto = 1 };
	struct sdp back;
	struct sbuf b;
	char err[128];

	snprintf(out.crypto[0], SDP_LINE_MAX, "1 AES_CM_128_HMAC_SHA1_32 inline:%s", K);
	sb_init(&b);
	sdp_write(&b, in, "192.0.2.1", 7, 2, &out, 1);
	CHECK(!parse(b.p, &back, err), "%s", err);
	CHECK(back.media[0].port == 30000 && !strcmp(back.media[0].addr, "192.0.2.1"), "port, c=");
	CHECK(back.media[0].rtcp_mux && back.media[0].dir == SDP_SENDONLY, "mux, direction");
	CHECK(back.media[0].n_crypto == 1 && strstr(sdp_crypto(&back.media[0], 0), "_32"), "our crypto only");
	CHECK(!strstr(b.p, "candidate"), "ICE dropped");
	sdp_release(&back);
	sb_free(&b);
}

/* Forms of offer tried one after the other after refusals (issue 17.7). */
static void offer_forms_in_order(void)
{
	static const struct {
		enum srtp_mode mode;
		enum srtp_offer_form first;
		unsigned int n;
		enum srtp_offer_form want[3];
	} t[] = {
		{ SRTP_PREFERABLE, SRTP_OFFER_AVP_CRYPTO, 3,
		  { SRTP_OFFER_AVP_CRYPTO, SRTP_OFFER_SAVP, SRTP_OFFER_PLAIN } },
		{ SRTP_PREFERABLE, SRTP_OFFER_SAVP, 3,
		  { SRTP_OFFER_SAVP, SRTP_OFFER_AVP_CRYPTO, SRTP_OFFER_PLAIN } },
		{ SRTP_MANDATORY, SRTP_OFFER_SAVP, 2,
		  { SRTP_OFFER_SAVP, SRTP_OFFER_AVP_CRYPTO } },
		{ SRTP_MANDATORY, SRTP_OFFER_AVP_CRYPTO, 2,
		  { SRTP_OFFER_AVP_CRYPTO, SRTP_OFFER_SAVP } },
		{ SRTP_DISABLED, SRTP_OFFER_SAVP, 1, { SRTP_OFFER_PLAIN } },
	};
	enum srtp_offer_form f;
	unsigned int i, k;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cfg_ip_group g = group(t[i].mode);

		g.srtp_offer = t[i].first;
		for (k = 0; k < t[i].n; k++) {
			f = SRTP_OFFER_PLAIN + 1;
			CHECK(srtp_offer_form(&g, k, &f) && f == t[i].want[k],
			      "%s from %s: attempt %u is %s", srtp_mode_name(t[i].mode),
			      srtp_offer_form_name(t[i].first), k,
			      srtp_offer_form_name(f));
		}
		CHECK(!srtp_offer_form(&g, t[i].n, &f), "%s: no attempt %u",
		      srtp_mode_name(t[i].mode), t[i].n);
	}
}

int main(void)
{
	RUN(policy_table_matches_the_issue, "mandatory/preferable/disabled x SRTP/best-effort/RTP");
	RUN(offers_decided_per_mode, "offers decided line by line under each mode");
	RUN(priority_list_picks_the_line, "the group's suite list picks among crypto lines");
	RUN(teams_lines_accepted, "tag 0, _32, |2^31|1:1 on RTP/AVP");
	RUN(unusable_lines_skipped_for_a_usable_one, "bad/unsupported lines skipped");
	RUN(weakening_lines_declined, "UNAUTHENTICATED_SRTP never SRTP; UNENCRYPTED_* only if allowed");
	RUN(refusal_reason_survives_the_suite_list, "a line's own refusal, not a missing suite");
	RUN(alternatives_collapse_to_one_line, "RTP/SAVP + RTP/AVP alternatives");
	RUN(sdp_rejects_what_it_cannot_relay, "SDP errors");
	RUN(sdp_text_sized_to_what_was_received, "attribute text in a block of its size, SDP_TEXT_MAX the limit");
	RUN(written_sdp_parses_back, "our SDP parses back with our port, crypto, mux");
	RUN(offer_forms_in_order, "srtp_offer first, the other form, then (preferable) plain");
	return testing_summary();
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Option tags and methods in SIP headers (daemon/sip/sip_msg.c, compiled
 * in): whether a message lists "timer" in any Supported header, long or
 * compact (k), or UPDATE in Allow, as session timers (RFC 4028) ask; and
 * a relayed Supported or Require value with "timer" taken out.
 */
#include <string.h>

#include "../../daemon/base/log.c"
#include "../../daemon/base/sbuf.c"
#include "../../daemon/base/secret_mem.c"
#include "../../daemon/sip/sip_frame.c"
#include "../../daemon/sip/sip_msg.c"
#include "testing.h"

static osip_message_t *parse(const char *headers)
{
	char buf[2048];
	osip_message_t *m = NULL;
	char why[96];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "OPTIONS sip:sbc@192.0.2.1 SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bKopt1\r\n"
		     "From: <sip:a@192.0.2.2>;tag=1\r\nTo: <sip:sbc@192.0.2.1>\r\n"
		     "Call-ID: opt-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
		     "%sContent-Length: 0\r\n\r\n", headers);
	if (sip_msg_parse(buf, (size_t)n, &m, why, sizeof(why)) != SIP_PARSE_OK) {
		if (m)
			osip_message_free(m);
		return NULL;
	}
	return m;
}

static bool has(const char *headers, const char *name, const char *compact,
		const char *token)
{
	osip_message_t *m = parse(headers);
	bool yes;

	if (!m)
		return false;
	yes = sip_hdr_has_token(m, name, compact, token);
	osip_message_free(m);
	return yes;
}

static void supported_timer_found_anywhere(void)
{
	CHECK(has("Supported: timer\r\n", "Supported", "k", "timer"), "alone");
	CHECK(has("Supported: 100rel, replaces,timer\r\n", "Supported", "k", "timer"),
	      "last of a list");
	CHECK(has("Supported: 100rel\r\nSupported: TIMER\r\n", "Supported", "k", "timer"),
	      "second header line, upper case");
	CHECK(has("k: path, timer\r\n", "Supported", "k", "timer"), "compact form");
	CHECK(!has("Supported: timers, 100rel\r\n", "Supported", "k", "timer"),
	      "timers is another tag");
	CHECK(!has("Require: timer\r\n", "Supported", "k", "timer"), "not in Supported");
	CHECK(!has("", "Supported", "k", "timer"), "no header");
}

static void allow_update(void)
{
	CHECK(has("Allow: INVITE, ACK, BYE, UPDATE\r\n", "Allow", NULL, "UPDATE"),
	      "listed");
	CHECK(!has("Allow: INVITE, ACK, BYE\r\n", "Allow", NULL, "UPDATE"), "not listed");
}

static void tokens_without_timer(void)
{
	char out[64];

	sip_tokens_without("100rel, timer, replaces", "timer", out, sizeof(out));
	CHECK(!strcmp(out, "100rel, replaces"), "middle: '%s'", out);
	sip_tokens_without("timer", "timer", out, sizeof(out));
	CHECK(!strcmp(out, ""), "only: '%s'", out);
	sip_tokens_without(" Timer ,100rel", "timer", out, sizeof(out));
	CHECK(!strcmp(out, "100rel"), "first, spaced, any case: '%s'", out);
	sip_tokens_without("timers,path", "timer", out, sizeof(out));
	CHECK(!strcmp(out, "timers, path"), "timers kept: '%s'", out);
	sip_tokens_without("a-very-long-option-tag-that-does-not-fit-at-all", "timer",
			   out, 16);
	CHECK(strlen(out) < 16, "never past the buffer: '%s'", out);
}

int main(void)
{
	sip_msg_init();
	RUN(supported_timer_found_anywhere, "Supported: timer in any header, long or compact form");
	RUN(allow_update, "UPDATE in Allow (osip2's own list)");
	RUN(tokens_without_timer, "a relayed Supported/Require without timer");
	return testing_summary();
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * relay_nl: names of the UAPI's counters, suites, flags and attributes, and
 * errors turned into one line of text, the kernel's extended ACK included.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

#include "relay_nl_private.h"

/* ---- names ---------------------------------------------------------- */

static const char *const stat_names[SRTPRELAY_STAT_COUNT] = {
	[SRTPRELAY_STAT_RX_PACKETS] = "rx_packets",
	[SRTPRELAY_STAT_RX_BYTES] = "rx_bytes",
	[SRTPRELAY_STAT_TX_PACKETS] = "tx_packets",
	[SRTPRELAY_STAT_TX_BYTES] = "tx_bytes",
	[SRTPRELAY_STAT_RTCP_RX_PACKETS] = "rtcp_rx_packets",
	[SRTPRELAY_STAT_RTCP_TX_PACKETS] = "rtcp_tx_packets",
	[SRTPRELAY_STAT_AUTH_FAILED] = "auth_failed",
	[SRTPRELAY_STAT_REPLAYED] = "replayed",
	[SRTPRELAY_STAT_TOO_OLD] = "too_old",
	[SRTPRELAY_STAT_MKI_MISMATCH] = "mki_mismatch",
	[SRTPRELAY_STAT_MALFORMED] = "malformed",
	[SRTPRELAY_STAT_SOURCE_REJECTED] = "source_rejected",
	[SRTPRELAY_STAT_HELD] = "held",
	[SRTPRELAY_STAT_SSRC_CHANGES] = "ssrc_changes",
	[SRTPRELAY_STAT_ROC_CHANGES] = "roc_changes",
	[SRTPRELAY_STAT_TX_ERRORS] = "tx_errors",
	[SRTPRELAY_STAT_PUNTED] = "punted",
	[SRTPRELAY_STAT_FRAGMENTS] = "fragments",
	[SRTPRELAY_STAT_TX_REFUSED] = "tx_refused",
	[SRTPRELAY_STAT_LATCHES] = "latches",
	[SRTPRELAY_STAT_BAD_CHECKSUM] = "bad_checksum",
	[SRTPRELAY_STAT_TTL_EXPIRED] = "ttl_expired",
	[SRTPRELAY_STAT_TOO_LONG] = "too_long",
	[SRTPRELAY_STAT_ROC_MISMATCH] = "roc_mismatch",
};

static const char *const suite_names[] = {
	[SRTPRELAY_SUITE_NONE] = "NONE",
	[SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80] = "AES_CM_128_HMAC_SHA1_80",
	[SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32] = "AES_CM_128_HMAC_SHA1_32",
	[SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_80] = "AES_256_CM_HMAC_SHA1_80",
	[SRTPRELAY_SUITE_AES_256_CM_HMAC_SHA1_32] = "AES_256_CM_HMAC_SHA1_32",
	[SRTPRELAY_SUITE_AEAD_AES_128_GCM] = "AEAD_AES_128_GCM",
	[SRTPRELAY_SUITE_AEAD_AES_256_GCM] = "AEAD_AES_256_GCM",
};

static const char *const event_names[] = {
	[SRTPRELAY_EVENT_REMOTE_LATCHED] = "remote_latched",
	[SRTPRELAY_EVENT_REMOTE_CHANGED] = "remote_changed",
	[SRTPRELAY_EVENT_SSRC_CHANGED] = "ssrc_changed",
	[SRTPRELAY_EVENT_IDLE] = "idle",
	[SRTPRELAY_EVENT_SOURCE_REJECTED] = "source_rejected",
};

static const char *const stream_flag_names[] = {
	"latch", "lock_on_sdp", "rtcp_mux_in", "rtcp_mux_out", "hold",
	"punt_rtcp", "pass_through",
};

static const char *const crypto_flag_names[] = {
	"unencrypted_srtp", "unencrypted_srtcp", "unauthenticated_srtp",
};

static const char *const attr_names[SRTPRELAY_A_MAX + 1] = {
	[SRTPRELAY_A_PAD] = "pad",
	[SRTPRELAY_A_REALM_ID] = "realm_id",
	[SRTPRELAY_A_REALM_ADDR] = "realm_addr",
	[SRTPRELAY_A_REALM_PORT_MIN] = "realm_port_min",
	[SRTPRELAY_A_REALM_PORT_MAX] = "realm_port_max",
	[SRTPRELAY_A_REALM_NFQUEUE] = "realm_nfqueue",
	[SRTPRELAY_A_STREAM_LOCAL] = "stream_local",
	[SRTPRELAY_A_STREAM_REMOTE] = "stream_remote",
	[SRTPRELAY_A_STREAM_LATCHED] = "stream_latched",
	[SRTPRELAY_A_STREAM_OUT_SRC] = "stream_out_src",
	[SRTPRELAY_A_STREAM_OUT_DST] = "stream_out_dst",
	[SRTPRELAY_A_STREAM_OUT_RTCP_DST] = "stream_out_rtcp_dst",
	[SRTPRELAY_A_STREAM_FLAGS] = "stream_flags",
	[SRTPRELAY_A_STREAM_COOKIE] = "stream_cookie",
	[SRTPRELAY_A_STREAM_IN_CRYPTO] = "stream_in_crypto",
	[SRTPRELAY_A_STREAM_OUT_CRYPTO] = "stream_out_crypto",
	[SRTPRELAY_A_STREAM_STATS] = "stream_stats",
	[SRTPRELAY_A_STATS] = "stats",
	[SRTPRELAY_A_STREAM_COUNT] = "stream_count",
	[SRTPRELAY_A_REALM_COUNT] = "realm_count",
	[SRTPRELAY_A_EVENT_TYPE] = "event_type",
	[SRTPRELAY_A_EVENT_REMOTE] = "event_remote",
	[SRTPRELAY_A_EVENT_SSRC] = "event_ssrc",
	[SRTPRELAY_A_STREAM_LATCH_WINDOW_MS] = "stream_latch_window_ms",
};

static const char *const crypto_attr_names[SRTPRELAY_A_CRYPTO_MAX + 1] = {
	[SRTPRELAY_A_CRYPTO_SUITE] = "suite",
	[SRTPRELAY_A_CRYPTO_MASTER_KEY] = "master_key",
	[SRTPRELAY_A_CRYPTO_MASTER_SALT] = "master_salt",
	[SRTPRELAY_A_CRYPTO_MKI] = "mki",
	[SRTPRELAY_A_CRYPTO_MKI_LEN] = "mki_len",
	[SRTPRELAY_A_CRYPTO_ROC] = "roc",
	[SRTPRELAY_A_CRYPTO_SEQ] = "seq",
	[SRTPRELAY_A_CRYPTO_REPLAY_WINDOW] = "replay_window",
	[SRTPRELAY_A_CRYPTO_FLAGS] = "flags",
};

const char *relay_nl_stat_name(unsigned int stat)
{
	return stat < SRTPRELAY_STAT_COUNT ? stat_names[stat] : NULL;
}

const char *relay_nl_suite_name(uint32_t suite)
{
	return suite < ARRAY_SIZE(suite_names) ? suite_names[suite] : NULL;
}

int relay_nl_suite_parse(const char *name, uint32_t *suite)
{
	uint32_t i;

	for (i = 0; i < ARRAY_SIZE(suite_names); i++) {
		if (!strcmp(name, suite_names[i])) {
			*suite = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *relay_nl_event_name(uint32_t type)
{
	return type < ARRAY_SIZE(event_names) ? event_names[type] : NULL;
}

static const char *bit_name(const char *const *names, size_t count,
			    uint32_t flag)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (flag == 1U << i)
			return names[i];
	return NULL;
}

const char *relay_nl_stream_flag_name(uint32_t flag)
{
	return bit_name(stream_flag_names, ARRAY_SIZE(stream_flag_names), flag);
}

const char *relay_nl_crypto_flag_name(uint32_t flag)
{
	return bit_name(crypto_flag_names, ARRAY_SIZE(crypto_flag_names), flag);
}

/* ---- errors --------------------------------------------------------- */

/* A local failure: @fmt says what was being done; strerror is appended. */
int relay_nl_set_err(struct relay_nl_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	memset(err, 0, sizeof(*err));
	err->code = code;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
			 strerror(code));
	return -code;
}

const char *relay_nl_err_format(const struct relay_nl_err *err, char *buf,
				size_t size)
{
	if (!err->code) {
		snprintf(buf, size, "no error");
		return buf;
	}
	if (!err->from_kernel && err->msg[0]) {
		snprintf(buf, size, "%s", err->msg);
		return buf;
	}
	snprintf(buf, size, "%s%s%s%s%s%s", strerror(err->code),
		 err->msg[0] ? ": " : "", err->msg,
		 err->attr[0] ? " (attribute " : "", err->attr,
		 err->attr[0] ? ")" : "");
	return buf;
}

/* Names the attribute of @req that starts @offs bytes into it. */
static void name_attr_at(const struct nlmsghdr *req, uint32_t offs,
			 char *name, size_t size)
{
	const struct nlattr *a, *c;

	if (offs < NLMSG_HDRLEN + GENL_HDRLEN || offs >= req->nlmsg_len)
		return;
	mnl_attr_for_each(a, req, GENL_HDRLEN) {
		uint16_t type = mnl_attr_get_type(a);
		const char *top = type <= SRTPRELAY_A_MAX ? attr_names[type] : NULL;
		uint32_t at = (uint32_t)((const char *)a - (const char *)req);

		if (!top)
			top = "unknown";
		if (at == offs) {
			snprintf(name, size, "%s", top);
			return;
		}
		if (type != SRTPRELAY_A_STREAM_IN_CRYPTO &&
		    type != SRTPRELAY_A_STREAM_OUT_CRYPTO)
			continue;
		mnl_attr_for_each_nested(c, a) {
			uint16_t ct = mnl_attr_get_type(c);

			at = (uint32_t)((const char *)c - (const char *)req);
			if (at == offs) {
				snprintf(name, size, "%s.%s", top,
					 ct <= SRTPRELAY_A_CRYPTO_MAX &&
					 crypto_attr_names[ct] ?
					 crypto_attr_names[ct] : "unknown");
				return;
			}
		}
	}
}

/* Names attribute @type missing from the nest at @nest_offs (0: top). */
static void name_missing(const struct nlmsghdr *req, uint32_t type,
			 uint32_t nest_offs, bool in_nest, char *name,
			 size_t size)
{
	char nest[48] = "";

	if (in_nest && req)
		name_attr_at(req, nest_offs, nest, sizeof(nest));
	if (in_nest && (!strcmp(nest, "stream_in_crypto") ||
			!strcmp(nest, "stream_out_crypto")))
		snprintf(name, size, "%s.%s", nest,
			 type <= SRTPRELAY_A_CRYPTO_MAX &&
			 crypto_attr_names[type] ?
			 crypto_attr_names[type] : "unknown");
	else if (!in_nest && type <= SRTPRELAY_A_MAX && attr_names[type])
		snprintf(name, size, "%s", attr_names[type]);
	else
		snprintf(name, size, "type %u", type);
}

struct ext_ack {
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
};

static int ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct ext_ack *ack = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > NLMSGERR_ATTR_MAX)
		return MNL_CB_OK;
	switch (type) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_OK;
		break;
	case NLMSGERR_ATTR_OFFS:
	case NLMSGERR_ATTR_MISS_TYPE:
	case NLMSGERR_ATTR_MISS_NEST:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;
		break;
	}
	ack->tb[type] = attr;
	return MNL_CB_OK;
}

int relay_nl_decode_error(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *req, struct relay_nl_err *err)
{
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	struct ext_ack ack = { { NULL } };
	size_t off;
	int code;

	memset(err, 0, sizeof(*err));
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return relay_nl_set_err(err, EBADMSG, "reading the kernel's answer");
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* Very old kernels end a dump with an empty DONE. */
		if (len < sizeof(int))
			return 0;
		memcpy(&code, payload, sizeof(code));
		off = sizeof(int);
	} else {
		struct nlmsgerr e;

		if (len < sizeof(e))
			return relay_nl_set_err(err, EBADMSG,
				       "reading the kernel's answer");
		memcpy(&e, payload, sizeof(e));
		code = e.error;
		off = sizeof(e);
		/* Without NETLINK_CAP_ACK the request is echoed first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e.msg.nlmsg_len >= NLMSG_HDRLEN)
			off = NLMSG_ALIGN(off + e.msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (code >= 0)
		return 0;
	/* The kernel's errnos are 1..4095 (MAX_ERRNO); anything else is noise. */
	if (code < -4095)
		code = -EPROTO;
	err->code = -code;
	err->from_kernel = true;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		mnl_attr_parse_payload(payload + off, len - off, ext_ack_attr,
				       &ack);
	if (ack.tb[NLMSGERR_ATTR_MSG])
		snprintf(err->msg, sizeof(err->msg), "%s",
			 mnl_attr_get_str(ack.tb[NLMSGERR_ATTR_MSG]));
	if (ack.tb[NLMSGERR_ATTR_OFFS] && req)
		name_attr_at(req, mnl_attr_get_u32(ack.tb[NLMSGERR_ATTR_OFFS]),
			     err->attr, sizeof(err->attr));
	if (ack.tb[NLMSGERR_ATTR_MISS_TYPE]) {
		const struct nlattr *nest = ack.tb[NLMSGERR_ATTR_MISS_NEST];

		name_missing(req, mnl_attr_get_u32(ack.tb[NLMSGERR_ATTR_MISS_TYPE]),
			     nest ? mnl_attr_get_u32(nest) : 0, nest != NULL,
			     err->attr, sizeof(err->attr));
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg),
				 "missing attribute");
	}
	return code;
}

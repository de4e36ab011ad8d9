/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SDP (RFC 4566) as far as a media relay needs it: connection addresses,
 * media lines, direction, rtcp-mux (RFC 5761), a=rtcp (RFC 3605) and the
 * a=crypto lines (RFC 4568), other attributes carried through verbatim.
 * sdp_parse() takes (buf, len) and never reads past len. sdp_write() builds
 * the body we send on one leg: our origin, our address and ports, our
 * crypto lines; ICE and DTLS attributes are dropped (we terminate media).
 */
#ifndef SRTPRELAYD_SDP_H
#define SRTPRELAYD_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sbuf.h"

#define SDP_MAX_MEDIA 4
#define SDP_MAX_ATTR 40
#define SDP_MAX_CRYPTO 8
#define SDP_LINE_MAX 512
/*
 * Text of the pass-through and crypto attributes of one m= line (and of
 * the session level), referenced by offset: at most SDP_TEXT_MAX bytes
 * (past it the SDP is refused), held in a block of its own size, since a
 * call keeps its peers' SDPs for its whole life and most lines carry a few
 * hundred bytes.
 *
 * Who owns the text: a struct sdp that sdp_parse() filled owns the blocks
 * of its session level and lines (they hold keys: sdp_release() or
 * sdp_free() wipes them). A struct sdp built by copying lines of others
 * (struct assignment, sdp_share_session_attrs()) to write a body borrows
 * their text and is freed without releasing it.
 */
#define SDP_TEXT_MAX 6144

enum sdp_dir { SDP_SENDRECV, SDP_SENDONLY, SDP_RECVONLY, SDP_INACTIVE };

struct sdp_media {
	char type[16];			/* "audio" */
	uint16_t port;			/* 0: rejected / disabled */
	char proto[24];			/* "RTP/AVP", "RTP/SAVP", ... */
	char fmts[256];
	char addr[64];			/* c= (media, else session level) */
	bool addr_ip6;
	enum sdp_dir dir;
	bool has_dir;
	bool rtcp_mux;
	unsigned int n_attr;		/* pass-through attributes */
	uint16_t attr[SDP_MAX_ATTR];	/* offsets in text, without "a=" */
	unsigned int n_crypto;		/* a=crypto values, without "crypto:" */
	uint16_t crypto[SDP_MAX_CRYPTO];	/* offsets in text */
	uint16_t text_len;
	char *text;			/* NULL when text_len is 0 */
};

struct sdp {
	char origin_user[64];
	char sess_id[32];
	char sess_version[32];
	char sess_addr[64];		/* session-level c=, "" if none */
	enum sdp_dir sess_dir;
	unsigned int n_attr;		/* session-level pass-through */
	uint16_t attr[SDP_MAX_ATTR];	/* offsets in text */
	uint16_t text_len;
	char *text;			/* NULL when text_len is 0 */
	unsigned int n_media;
	struct sdp_media media[SDP_MAX_MEDIA];
};

static inline const char *sdp_attr(const struct sdp_media *m, unsigned int i)
{
	return m->text + m->attr[i];
}

static inline const char *sdp_crypto(const struct sdp_media *m, unsigned int i)
{
	return m->text + m->crypto[i];
}

static inline const char *sdp_session_attr(const struct sdp *s, unsigned int i)
{
	return s->text + s->attr[i];
}

/* The session-level attributes of @src into @dst, which borrows their text. */
void sdp_share_session_attrs(struct sdp *dst, const struct sdp *src);

/*
 * 0, or -1 with the reason (for a Warning header / the log) in @err. On
 * success @sdp owns its text: sdp_release() it; on failure it holds none.
 */
int sdp_parse(const char *buf, size_t len, struct sdp *sdp, char *err,
	      size_t err_len);
/* Wipes and frees the text @sdp owns (not @sdp itself). */
void sdp_release(struct sdp *sdp);
/* sdp_release(), then wipes and frees a malloc()ed @sdp; NULL is fine. */
void sdp_free(struct sdp *sdp);

/* What one of our m-lines carries: taken from @src, ports and crypto ours. */
struct sdp_media_out {
	uint16_t port;			/* 0: reject the line */
	const char *proto;		/* NULL: as in src */
	unsigned int n_crypto;
	char crypto[SDP_MAX_CRYPTO][SDP_LINE_MAX];	/* crypto values */
	bool rtcp_mux;
};

/* Writes a complete body. @src_media[i] describes line i (NULL: rejected
 * line copied from @src with port 0). */
void sdp_write(struct sbuf *b, const struct sdp *src, const char *addr,
	       uint64_t sess_id, uint64_t version,
	       const struct sdp_media_out *out, unsigned int n);

bool sdp_is_hold_addr(const char *addr);	/* 0.0.0.0 (RFC 2543 hold) */
const char *sdp_dir_name(enum sdp_dir dir);
bool sdp_proto_is_savp(const char *proto);
bool sdp_proto_is_avp(const char *proto);

#endif

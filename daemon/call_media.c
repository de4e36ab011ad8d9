// SPDX-License-Identifier: GPL-2.0 OR MIT
/* From a call's negotiated legs to media plane streams, and back. */
#include <errno.h>
#include <string.h>

#include "call_media.h"
#include "log.h"
#include "media.h"

static const struct config *mcfg;

void call_media_setup(const struct config *cfg)
{
	mcfg = cfg;
}

static void to_nl_crypto(const struct leg_media *lm, const struct sdes_crypto *k,
			 struct relay_nl_crypto *out)
{
	memset(out, 0, sizeof(*out));
	if (!lm->srtp || !k->n_keys)
		return;
	out->suite = k->suite == SDES_SUITE_AES_CM_128_HMAC_SHA1_32 ?
		     SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32 :
		     SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	memcpy(out->key, k->keys[0].key_salt, SRTPRELAY_MASTER_KEY_LEN);
	memcpy(out->salt, k->keys[0].key_salt + SRTPRELAY_MASTER_KEY_LEN,
	       SRTPRELAY_MASTER_SALT_LEN);
	out->mki_len = k->keys[0].mki_len;
	for (unsigned int i = 0; i < out->mki_len; i++)
		out->mki[i] = (uint8_t)(k->keys[0].mki >> (8 * (out->mki_len - 1 - i)));
	out->flags = k->flags;
	if (k->wsh)
		out->replay_window = k->wsh > SRTPRELAY_REPLAY_WINDOW_MAX ?
				     SRTPRELAY_REPLAY_WINDOW_MAX :
				     k->wsh < SRTPRELAY_REPLAY_WINDOW_MIN ?
				     SRTPRELAY_REPLAY_WINDOW_MIN : (uint16_t)k->wsh;
}

static bool sends(enum sdp_dir d)
{
	return d == SDP_SENDRECV || d == SDP_SENDONLY;
}

static bool receives(enum sdp_dir d)
{
	return d == SDP_SENDRECV || d == SDP_RECVONLY;
}

int call_media_stream(const struct call *c, int x, unsigned int s,
		      struct relay_nl_stream *st)
{
	int y = 1 - x;
	const struct leg_media *mx = &c->leg[x].media[s], *my = &c->leg[y].media[s];
	const struct cfg_ip_group *gx = &c->leg[x].policy;

	memset(st, 0, sizeof(*st));
	if (!mx->port || !my->port || c->leg[x].slot_rejected[s] ||
	    c->leg[y].slot_rejected[s] || !my->remote_known)
		return -ENOENT;
	st->local = mcfg->realms[c->leg[x].realm].addr;
	sockaddr_set_port(&st->local, mx->port);
	st->out_src = mcfg->realms[c->leg[y].realm].addr;
	sockaddr_set_port(&st->out_src, my->port);
	st->out_dst = my->remote;
	st->has = RELAY_NL_HAS_OUT_SRC | RELAY_NL_HAS_OUT_DST | RELAY_NL_HAS_FLAGS |
		  RELAY_NL_HAS_COOKIE | RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO;
	if (mx->remote_known) {
		st->remote = mx->remote;
		st->has |= RELAY_NL_HAS_REMOTE;
	}
	if (gx->lock_on_sdp && mx->remote_known)
		st->flags |= SRTPRELAY_STREAM_F_LOCK_ON_SDP;
	else
		st->flags |= SRTPRELAY_STREAM_F_LATCH;
	if (mx->rtcp_mux)
		st->flags |= SRTPRELAY_STREAM_F_RTCP_MUX_IN;
	if (my->rtcp_mux)
		st->flags |= SRTPRELAY_STREAM_F_RTCP_MUX_OUT;
	if (!sends(mx->dir) || !receives(my->dir))
		st->flags |= SRTPRELAY_STREAM_F_HOLD;
	st->cookie = c->id;
	to_nl_crypto(mx, &mx->peer_key, &st->in);
	to_nl_crypto(my, &my->our_key, &st->out);
	return 0;
}

int call_media_apply(struct call *c)
{
	struct relay_nl_stream st;
	unsigned int s;
	int x, rc = 0;

	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (call_media_stream(c, x, s, &st)) {
				struct sockaddr_storage local;

				if (!c->leg[x].media[s].port)
					continue;
				local = mcfg->realms[c->leg[x].realm].addr;
				sockaddr_set_port(&local, c->leg[x].media[s].port);
				media_stream_del(&local);
				continue;
			}
			if (media_stream_put(&st) < 0)
				rc = -EIO;
			memset(&st, 0, sizeof(st));
		}
	}
	c->media_installed = true;
	return rc;
}

void call_media_remove(struct call *c)
{
	struct sockaddr_storage local;
	unsigned int s;
	int x;

	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (!c->leg[x].media[s].port)
				continue;
			local = mcfg->realms[c->leg[x].realm].addr;
			sockaddr_set_port(&local, c->leg[x].media[s].port);
			media_stream_del(&local);
		}
	}
	c->media_installed = false;
}

int call_media_idle_ms(const struct call *c, uint64_t *idle)
{
	struct relay_nl_stream st;
	struct sockaddr_storage local;
	uint64_t best = UINT64_MAX;
	unsigned int s;
	int x;

	if (!media_has_datapath())
		return -ENOTSUP;
	for (s = 0; s < c->n_slots; s++) {
		for (x = 0; x < 2; x++) {
			if (!c->leg[x].media[s].port)
				continue;
			local = mcfg->realms[c->leg[x].realm].addr;
			sockaddr_set_port(&local, c->leg[x].media[s].port);
			if (media_stream_stats(&local, &st) < 0)
				continue;
			if (!(st.has & RELAY_NL_HAS_LAST_RX))
				continue;
			if (st.last_rx_age_ms < best)
				best = st.last_rx_age_ms;
		}
	}
	*idle = best;
	return 0;
}

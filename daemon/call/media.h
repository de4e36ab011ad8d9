/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The media plane behind one small interface: RTP/RTCP port pairs from the
 * realms, and the streams of a call (one per direction and media line)
 * installed, updated and removed through relay_nl.
 *
 * Backends: "auto" opens the media plane with relay_nl_open(): srtprelay.ko
 * if loaded, else the userspace datapath (srtprelay-datapath) over its unix
 * socket; both speak the same messages. "record" has no datapath: streams
 * are recorded
 * (and listed on the control socket) but no packet is relayed; the daemon
 * says so loudly. It exists for signalling tests on hosts without either.
 */
#ifndef SRTPRELAYD_MEDIA_H
#define SRTPRELAYD_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "relay_netlink.h"

int media_init(const struct config *cfg);
void media_shutdown(void);
const char *media_backend_name(void);
/* A media plane is connected, or "record" was asked for: calls may start. */
bool media_ready(void);
bool media_has_datapath(void);

/* An even RTP port of @realm with its RTCP port; 0 or -errno. */
int media_port_alloc(int realm, uint16_t *port);
void media_port_free(int realm, uint16_t port);
unsigned int media_ports_in_use(int realm);
/* Port pairs @realm may hand out at once: its range, or max_sessions. */
unsigned int media_ports_limit(int realm);
/* The pair of @port, held by a call restored at start; -EBUSY if taken. */
int media_port_claim(int realm, uint16_t port);

/* Adds the stream, or updates it if its local address is installed. */
int media_stream_put(const struct relay_nl_stream *s);
int media_stream_del(const struct sockaddr_storage *local);
/* At start: a stream the media plane kept for a restored call, recorded
 * as it is (nothing is sent); -EEXIST if recorded already. */
int media_stream_adopt(const struct relay_nl_stream *s);
bool media_stream_known(const struct sockaddr_storage *local);	/* recorded */
/* At start: a stream of the media plane that no call of ours has. */
int media_stream_del_foreign(const struct sockaddr_storage *local);
/* Counters and last-rx age of an installed stream (datapath only). */
int media_stream_stats(const struct sockaddr_storage *local,
		       struct relay_nl_stream *out);
/* The media plane's counters of the netns (STATS_GET): what every stream
 * counted since the plane started, deleted ones included; -ENOTSUP
 * without a media plane. */
int media_plane_stats(struct relay_nl_stats *out);
/*
 * Every stream of the media plane, ours or not, in one dump (module or
 * datapath): one request however many calls, where a STREAM_GET each would
 * cost a round trip per stream. @cb must not call into the media plane:
 * the dump is still being read.
 */
int media_stream_dump(relay_nl_stream_cb cb, void *arg);

/*
 * Events of the media plane (relay_nl's "events" group, a second handle
 * opened with the media plane): @cb gets each one; @lost is called when
 * some were lost (socket or queue overrun) and state must be re-read.
 */
typedef void (*media_event_cb)(const struct relay_nl_event *e);
typedef void (*media_events_lost_cb)(void);
void media_set_event_handler(media_event_cb cb, media_events_lost_cb lost);
/*
 * The media plane went away (datapath restarted, module reloaded) and is
 * back, empty: @cb installs every live call's streams again, through
 * media_stream_put(). While it is gone media_ready() is false and new
 * calls are refused.
 */
typedef void (*media_reinstall_cb)(void);
void media_set_reinstall_handler(media_reinstall_cb cb);

/* The recorded list: what is installed, without key material. */
struct media_record {
	struct relay_nl_stream s;	/* keys zeroed */
	uint32_t in_key_id, out_key_id;	/* first bytes of SHA-256(key||salt) */
	unsigned int updates;
};
typedef void (*media_record_cb)(const struct media_record *r, void *arg);
void media_record_walk(media_record_cb cb, void *arg);
/* "local A remote B out-src C out-dst D cookie N flags ... in SUITE key-id
 * K mki-len M out ..." : one line, as logged and listed. */
const char *media_record_str(const struct media_record *r, char *buf,
			     size_t len);

#endif

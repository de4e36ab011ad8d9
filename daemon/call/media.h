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

/*
 * The media plane as srtprelayd holds it: the handles to the module or
 * datapath, the realms' port pairs and the recorded streams. Made once by
 * main() and handed to every media_*() call.
 */
struct media_plane;

/* Connects (or, without a media plane, retries in the background); NULL
 * when out of memory (logged). */
struct media_plane *media_new(const struct config *cfg);
/* Removes our realms from the media plane and closes it; @mp may be NULL. */
void media_free(struct media_plane *mp);
const char *media_backend_name(const struct media_plane *mp);
/* A media plane is connected, or "record" was asked for: calls may start. */
bool media_ready(const struct media_plane *mp);
bool media_has_datapath(const struct media_plane *mp);

/* An even RTP port of @realm with its RTCP port; 0 or -errno. */
int media_port_alloc(struct media_plane *mp, int realm, uint16_t *port);
void media_port_free(struct media_plane *mp, int realm, uint16_t port);
unsigned int media_ports_in_use(const struct media_plane *mp, int realm);
/* Port pairs @realm may hand out at once: its range, or max_sessions. */
unsigned int media_ports_limit(const struct media_plane *mp, int realm);
/* The pair of @port, held by a call restored at start; -EBUSY if taken. */
int media_port_claim(struct media_plane *mp, int realm, uint16_t port);

/* Adds the stream, or updates it if its local address is installed. */
int media_stream_put(struct media_plane *mp, const struct relay_nl_stream *s);
int media_stream_del(struct media_plane *mp,
		     const struct sockaddr_storage *local);
/* At start: a stream the media plane kept for a restored call, recorded
 * as it is (nothing is sent); -EEXIST if recorded already. */
int media_stream_adopt(struct media_plane *mp, const struct relay_nl_stream *s);
/* Recorded. */
bool media_stream_known(const struct media_plane *mp,
			const struct sockaddr_storage *local);
/* At start: a stream of the media plane that no call of ours has. */
int media_stream_del_foreign(struct media_plane *mp,
			     const struct sockaddr_storage *local);
/* Counters and last-rx age of an installed stream (datapath only). */
int media_stream_stats(struct media_plane *mp,
		       const struct sockaddr_storage *local,
		       struct relay_nl_stream *out);
/* The media plane's counters of the netns (STATS_GET): what every stream
 * counted since the plane started, deleted ones included; -ENOTSUP
 * without a media plane. */
int media_plane_stats(struct media_plane *mp, struct relay_nl_stats *out);
/*
 * Every stream of the media plane, ours or not, in one dump (module or
 * datapath): one request however many calls, where a STREAM_GET each would
 * cost a round trip per stream. @cb must not call into the media plane:
 * the dump is still being read.
 */
int media_stream_dump(struct media_plane *mp, relay_nl_stream_cb cb, void *arg);

/*
 * Events of the media plane (relay_nl's "events" group, a second handle
 * opened with the media plane): @cb gets each one; @lost is called when
 * some were lost (socket or queue overrun) and state must be re-read.
 * Both are handed @arg.
 */
typedef void (*media_event_cb)(void *arg, const struct relay_nl_event *e);
typedef void (*media_events_lost_cb)(void *arg);
void media_set_event_handler(struct media_plane *mp, media_event_cb cb,
			     media_events_lost_cb lost, void *arg);
/*
 * The media plane went away (datapath restarted, module reloaded) and is
 * back, empty: @cb installs every live call's streams again, through
 * media_stream_put(). While it is gone media_ready() is false and new
 * calls are refused.
 */
typedef void (*media_reinstall_cb)(void *arg);
void media_set_reinstall_handler(struct media_plane *mp, media_reinstall_cb cb,
				 void *arg);

/* The recorded list: what is installed, without key material. */
struct media_record {
	struct relay_nl_stream s;	/* keys zeroed */
	uint32_t in_key_id, out_key_id;	/* first bytes of SHA-256(key||salt) */
	unsigned int updates;
};
typedef void (*media_record_cb)(const struct media_record *r, void *arg);
void media_record_walk(const struct media_plane *mp, media_record_cb cb,
		       void *arg);
/* "local A remote B out-src C out-dst D cookie N flags ... in SUITE key-id
 * K mki-len M out ..." : one line, as logged and listed. */
const char *media_record_str(const struct media_record *r, char *buf,
			     size_t len);

#endif

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The call store's file journal and the call record (daemon/call/
 * call_store_file.c, call_record.c, compiled in), under ASan: records put,
 * replaced and removed come back after a reopen; a flipped byte, junk and
 * a record cut short are skipped and the records around them kept; the
 * journal is compacted as it grows; the file is 0600; a call survives
 * encode/decode with its dialogs, SDP and keys, and every shorter prefix
 * of its record, and a record naming an unknown group, is refused.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../daemon/base/log.c"
#include "../../daemon/base/addr.c"
#include "../../daemon/base/secret_mem.c"
#include "../../daemon/base/sbuf.c"
#include "../../daemon/sip/sdp.c"
#include "../../daemon/call/call_store.c"
#include "../../daemon/call/call_store_file.c"
#include "../../daemon/call/call_record.c"
#include "../../daemon/call/leg_key.c"
#include "testing.h"

static char dir[] = "/tmp/test_call_store.XXXXXX";
static char path[700];

struct seen {
	unsigned int n;
	uint64_t ids[16];
	uint8_t first[16];
	size_t lens[16];
};

static int note(uint64_t id, const uint8_t *rec, size_t len, void *arg)
{
	struct seen *s = arg;

	if (s->n < 16) {
		s->ids[s->n] = id;
		s->first[s->n] = len ? rec[0] : 0;
		s->lens[s->n] = len;
	}
	s->n++;
	return 0;
}

static bool has(const struct seen *s, uint64_t id, uint8_t first)
{
	for (unsigned int i = 0; i < s->n && i < 16; i++)
		if (s->ids[i] == id)
			return s->first[i] == first;
	return false;
}

static struct seen reopen(void)
{
	struct call_store st = { 0 };
	struct seen s = { 0 };

	if (call_store_open_file(&st, dir))
		return s;
	call_store_iterate(&st, note, &s);
	call_store_close(&st);
	return s;
}

static void fresh(void)
{
	unlink(path);
}

static void put_byte(uint64_t id, uint8_t b, size_t len, struct call_store *st)
{
	uint8_t rec[2048];

	memset(rec, b, len);
	CHECK(!call_store_put(st, id, rec, len), "put %llu", (unsigned long long)id);
}

static void journal_keeps_the_last_put(void)
{
	struct call_store st = { 0 };
	struct stat sb;
	struct seen s;

	fresh();
	CHECK(!call_store_open_file(&st, dir), "open");
	put_byte(1, 0x11, 100, &st);
	put_byte(2, 0x22, 100, &st);
	put_byte(3, 0x33, 100, &st);
	put_byte(2, 0x24, 50, &st);
	CHECK(!call_store_remove(&st, 3), "remove");
	call_store_close(&st);
	CHECK(!stat(path, &sb) && (sb.st_mode & 0777) == 0600, "mode %o", sb.st_mode & 0777);
	s = reopen();
	CHECK(s.n == 2, "%u calls", s.n);
	CHECK(has(&s, 1, 0x11) && has(&s, 2, 0x24), "the last put of each");
}

static void append_raw(const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	CHECK(fd >= 0 && write(fd, p, n) == (ssize_t)n, "append");
	close(fd);
}

static void journal_skips_damage(void)
{
	struct call_store st = { 0 };
	uint8_t buf[4096];
	struct seen s;
	int fd;
	ssize_t n;

	fresh();
	CHECK(!call_store_open_file(&st, dir), "open");
	put_byte(1, 0x11, 100, &st);
	put_byte(2, 0x22, 100, &st);
	put_byte(3, 0x33, 100, &st);
	call_store_close(&st);
	/* A byte of call 2's payload flipped, junk, then a record cut short. */
	fd = open(path, O_RDWR);
	n = pread(fd, buf, sizeof(buf), 0);
	CHECK(n == 3 * (16 + 8 + 100), "%zd bytes", n);
	buf[124 + 16 + 8 + 50] ^= 1;
	CHECK(pwrite(fd, buf, (size_t)n, 0) == n, "rewrite");
	close(fd);
	append_raw("junk that is no record", 22);
	append_raw(buf, 16 + 8 + 60);
	s = reopen();
	CHECK(s.n == 2, "%u calls", s.n);
	CHECK(has(&s, 1, 0x11) && has(&s, 3, 0x33), "calls 1 and 3 kept");
	/* Compacted at open: the damage is gone, a second open agrees. */
	s = reopen();
	CHECK(s.n == 2, "%u calls after compaction", s.n);
}

static void journal_is_compacted(void)
{
	struct call_store st = { 0 };
	struct stat sb;
	struct seen s;

	fresh();
	CHECK(!call_store_open_file(&st, dir), "open");
	for (int i = 0; i < 1000; i++) {
		put_byte((uint64_t)(i % 4) + 1, (uint8_t)i, 1000, &st);
		if (i % 7 == 0)
			call_store_remove(&st, (uint64_t)(i % 4) + 1);
	}
	CHECK(!stat(path, &sb) && sb.st_size < 2 * COMPACT_MIN + 4096,
	      "%lld bytes after 1000 puts of 1 kB", (long long)sb.st_size);
	call_store_close(&st);
	s = reopen();
	CHECK(s.n == 4, "%u calls", s.n);
	CHECK(has(&s, 4, (uint8_t)999) && has(&s, 1, (uint8_t)996), "the last puts");
}

static struct config cfg;

static char attr_text[] = "rtpmap:0 PCMU/8000";
static char route_text[] = "<sip:proxy;lr>";
static char body_text[] = "v=0\r\no=srtprelayd 1 1 IN IP4 192.0.2.9\r\n";

/* What call_record_decode() allocated for @c. */
static void free_decoded(struct call *c)
{
	for (int x = 0; x < 2; x++) {
		sdp_free(c->leg[x].sdp);
		for (unsigned int i = 0; i < c->leg[x].n_routes; i++)
			free(c->leg[x].routes[i]);
		secret_free_heap(c->leg[x].last_body);
	}
	secret_free_heap(c->late_ack_sdp);
}

static void sample_call(struct call *c, struct sdp *sdp)
{
	struct leg_key *k;

	memset(&cfg, 0, sizeof(cfg));
	cfg.n_groups = 2;
	strcpy(cfg.groups[0].name, "carrier");
	strcpy(cfg.groups[1].name, "pbx");
	cfg.n_realms = 1;
	cfg.n_ifaces = 1;
	strcpy(cfg.realms[0].name, "public");
	memset(c, 0, sizeof(*c));
	c->cfg = &cfg;
	c->n_slots = 1;
	c->answered_ms = 1234;
	strcpy(c->route_name, "out");
	for (int x = 0; x < 2; x++) {
		struct leg *l = &c->leg[x];

		l->group = x;
		l->policy = cfg.groups[x];
		snprintf(l->call_id, sizeof(l->call_id), "call-%d@host", x);
		strcpy(l->local_tag, "ours");
		strcpy(l->remote_tag, "theirs");
		strcpy(l->remote_target, "sip:peer@192.0.2.1:5060");
		l->n_routes = 1;
		l->routes[0] = route_text;
		l->last_body = x ? body_text : NULL;
		l->local_cseq = 7;
		l->remote_cseq = 9;
		sockaddr_parse("192.0.2.1", 5060, &l->peer.addr);
		l->media[0].port = (uint16_t)(30000 + 2 * x);
		sockaddr_parse("192.0.2.1", 6000, &l->media[0].remote);
		l->media[0].remote_known = true;
		l->media[0].srtp = true;
		k = &l->media[0].peer_key;
		k->set = true;
		k->tag = 1;
		k->suite = SDES_SUITE_AES_CM_128_HMAC_SHA1_80;
		k->key.key_salt_len = 30;
		memset(k->key.key_salt, 0xa0 + x, 30);
		l->media[0].our_key = *k;
		l->media[0].our_key.key.key_salt[0] = 0x55;
	}
	memset(sdp, 0, sizeof(*sdp));
	strcpy(sdp->origin_user, "peer");
	sdp->n_media = 1;
	strcpy(sdp->media[0].type, "audio");
	sdp->media[0].port = 6000;
	sdp->media[0].text = attr_text;
	sdp->media[0].text_len = 18;
	sdp->media[0].n_attr = 1;
	c->leg[0].sdp = sdp;
}

static void record_round_trip(void)
{
	static struct call c, back;
	static struct sdp sdp;
	uint8_t *rec;
	size_t len;
	char why[160];

	sample_call(&c, &sdp);
	CHECK(!call_record_encode(&c, &rec, &len), "encode");
	CHECK(!call_record_decode(&back, &cfg, rec, len, why, sizeof(why)), "decode: %s", why);
	CHECK(!strcmp(back.leg[1].call_id, "call-1@host") &&
	      !strcmp(back.leg[0].routes[0], "<sip:proxy;lr>") &&
	      back.leg[1].local_cseq == 7 && back.leg[1].group == 1 &&
	      back.state == CALL_CONFIRMED, "dialogs");
	CHECK(back.leg[1].media[0].port == 30002 &&
	      sockaddr_equal(&back.leg[0].media[0].remote, &c.leg[0].media[0].remote),
	      "ports and addresses");
	CHECK(leg_key_equal(&back.leg[1].media[0].our_key, &c.leg[1].media[0].our_key),
	      "our key");
	CHECK(back.leg[0].sdp && !strcmp(back.leg[0].sdp->media[0].text,
					 "rtpmap:0 PCMU/8000"), "the peer's SDP");
	CHECK(!back.leg[0].last_body && back.leg[1].last_body &&
	      !strcmp(back.leg[1].last_body, body_text), "the SDP we sent, each to its leg");
	free_decoded(&back);
	for (size_t cut = 0; cut < len; cut++) {
		memset(&back, 0, sizeof(back));
		CHECK(call_record_decode(&back, &cfg, rec, cut, why, sizeof(why)),
		      "a record cut to %zu of %zu bytes refused", cut, len);
		free_decoded(&back);
	}
	strcpy(cfg.groups[1].name, "renamed");
	memset(&back, 0, sizeof(back));
	CHECK(call_record_decode(&back, &cfg, rec, len, why, sizeof(why)) &&
	      strstr(why, "pbx"), "an unknown group refused: %s", why);
	free_decoded(&back);
	secret_free(rec, len);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/calls.journal", dir);
	RUN(journal_keeps_the_last_put, "the last put of each call, removals, 0600");
	RUN(journal_skips_damage, "a flipped byte, junk and a cut record skipped");
	RUN(journal_is_compacted, "1000 puts stay under twice the compaction size");
	RUN(record_round_trip, "a call through encode/decode; every prefix refused");
	unlink(path);
	rmdir(dir);
	return testing_summary();
}

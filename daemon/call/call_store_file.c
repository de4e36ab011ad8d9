// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The call store as an append-only journal, <state_dir>/calls.journal
 * (mode 0600: the records hold SRTP keys). Each record is a 16-byte header
 * and a payload:
 *
 *   "SRJ1" | type u8 (1 put, 2 remove) | 0 u8 | 0 u16 | len u32 | crc u32
 *   payload: call id u64, then (put) the call's record
 *
 * integers little-endian, crc the CRC-32 of header bytes 4..11 and the
 * payload. The last put of an id wins; a remove forgets it.
 *
 * Durability: every record goes out in one write(), which survives
 * srtprelayd dying. Puts are fdatasync()ed by journal_sync(), once for all
 * the puts of an event loop round, before the 200 OKs that name their
 * calls leave (call_store.h): then a restart finds them even after a power
 * cut. On a VM's disk one sync costs more than the rest of a call's setup
 * (daemon/README.md, "Crash-safe call state"), so a sync per call would
 * cap the call rate. A remove is never synced for itself: the next sync
 * takes it to disk; a power cut before that brings back a call that had
 * ended, and the restart ends it again, since a rebooted host's media
 * plane has no stream of it (call_restore.c).
 *
 * Reading: a record cut short (the process died in its write), one whose
 * crc does not match, or bytes that are no record are logged with their
 * offset and skipped; reading goes on at the next "SRJ1". At open and
 * whenever the file is more than twice the live records (and over 256
 * KiB), it is rewritten with one put per live call (written, synced,
 * renamed over, directory synced), so it never grows without bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/secret_mem.h"
#include "call/call_store.h"

#define JOURNAL_NAME "calls.journal"
#define HDR_LEN 16
#define TYPE_PUT 1
#define TYPE_REMOVE 2
#define MAX_PAYLOAD (1U << 20)
#define COMPACT_MIN (256 * 1024)
#define INDEX_BUCKETS 4096

/* Where the live put of one call is in the file. */
struct jentry {
	struct jentry *next;
	uint64_t id;
	off_t off;		/* of its payload */
	uint32_t len;
};

struct journal {
	int fd, dir_fd;
	char path[600], tmp_path[610];
	off_t size;		/* of the file */
	off_t live;		/* bytes of the live records */
	unsigned int n_live;
	bool unsynced;		/* a put written since the last sync */
	struct jentry *index[INDEX_BUCKETS];
};

static const struct call_store_ops journal_ops;

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320U & -(crc & 1));
	}
	return ~crc;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static struct jentry **slot(struct journal *j, uint64_t id)
{
	struct jentry **e = &j->index[id % INDEX_BUCKETS];

	while (*e && (*e)->id != id)
		e = &(*e)->next;
	return e;
}

static void index_put(struct journal *j, uint64_t id, off_t off, uint32_t len)
{
	struct jentry **e = slot(j, id);

	if (!*e) {
		*e = calloc(1, sizeof(**e));
		if (!*e) {
			/* The record is in the file, but the next compaction
			 * (at the latest the next start's) drops it. */
			log_err("state journal %s: out of memory indexing call %llu: a restart may lose it",
				j->path, (unsigned long long)id);
			return;
		}
		(*e)->id = id;
		j->n_live++;
	} else {
		j->live -= HDR_LEN + (*e)->len;
	}
	(*e)->off = off;
	(*e)->len = len;
	j->live += HDR_LEN + len;
}

static void index_remove(struct journal *j, uint64_t id)
{
	struct jentry **e = slot(j, id), *gone = *e;

	if (!gone)
		return;
	*e = gone->next;
	j->live -= HDR_LEN + gone->len;
	j->n_live--;
	free(gone);
}

/* Header and payload (id, then @rec) in one buffer, for one write(). */
static uint8_t *record_build(int type, uint64_t id, const uint8_t *rec,
			     size_t len, size_t *total)
{
	size_t plen = 8 + len;
	uint8_t *b = malloc(HDR_LEN + plen);

	if (!b)
		return NULL;
	memcpy(b, "SRJ1", 4);
	put_le(b + 4, (uint64_t)type, 4);	/* type, flags 0, reserved 0 */
	put_le(b + 8, plen, 4);
	put_le(b + HDR_LEN, id, 8);
	if (len)
		memcpy(b + HDR_LEN + 8, rec, len);
	put_le(b + 12, crc32_update(crc32_update(0, b + 4, 8), b + HDR_LEN, plen), 4);
	*total = HDR_LEN + plen;
	return b;
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int append(struct journal *j, int type, uint64_t id, const uint8_t *rec,
		  size_t len)
{
	size_t total;
	uint8_t *b = record_build(type, id, rec, len, &total);
	int rc;

	if (!b)
		return -ENOMEM;
	rc = write_all(j->fd, b, total);
	secret_free(b, total);
	if (rc) {
		log_err("state journal %s: %s of call %llu: %s", j->path,
			type == TYPE_PUT ? "writing" : "removing",
			(unsigned long long)id, strerror(-rc));
		/* A partial record is skipped when read; start after it. */
		j->size = lseek(j->fd, 0, SEEK_END);
		return rc;
	}
	if (type == TYPE_PUT) {
		index_put(j, id, j->size + HDR_LEN + 8, (uint32_t)len);
		j->unsynced = true;
	} else {
		index_remove(j, id);
	}
	j->size += (off_t)total;
	return 0;
}

/* The live record of @e into a new buffer (wiped by the caller). */
static uint8_t *read_payload(struct journal *j, const struct jentry *e)
{
	uint8_t *b = malloc(e->len ? e->len : 1);

	if (b && pread(j->fd, b, e->len, e->off) != (ssize_t)e->len) {
		log_err("state journal %s: reading call %llu back: %s", j->path,
			(unsigned long long)e->id, strerror(errno ? errno : EIO));
		secret_free(b, e->len);
		return NULL;
	}
	return b;
}

/* Writes every live record into @fd; their new offsets into @offs. */
static int write_live(struct journal *j, int fd, off_t *offs)
{
	off_t at = 0;
	unsigned int n = 0;
	int rc = 0;

	for (unsigned int i = 0; i < INDEX_BUCKETS && !rc; i++) {
		for (struct jentry *e = j->index[i]; e && !rc; e = e->next) {
			uint8_t *p = read_payload(j, e), *b;
			size_t total;

			b = p ? record_build(TYPE_PUT, e->id, p, e->len, &total) : NULL;
			rc = b ? write_all(fd, b, total) : -EIO;
			offs[n++] = at + HDR_LEN + 8;
			at += (off_t)(HDR_LEN + 8 + e->len);
			if (p)
				secret_free(p, e->len);
			if (b)
				secret_free(b, total);
		}
	}
	return rc;
}

/* The new file's offsets, in the order write_live() wrote them. */
static void take_offsets(struct journal *j, const off_t *offs)
{
	unsigned int n = 0;

	j->live = 0;
	for (unsigned int i = 0; i < INDEX_BUCKETS; i++)
		for (struct jentry *e = j->index[i]; e; e = e->next) {
			e->off = offs[n++];
			j->live += HDR_LEN + 8 + e->len;
		}
	j->size = j->live;
}

static int compact(struct journal *j)
{
	off_t *offs = calloc(j->n_live + 1, sizeof(*offs));
	int fd, rc;

	if (!offs)
		return -ENOMEM;
	fd = open(j->tmp_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	rc = fd < 0 ? -errno : write_live(j, fd, offs);
	if (!rc && fdatasync(fd))
		rc = -errno;
	if (!rc && rename(j->tmp_path, j->path))
		rc = -errno;
	if (rc) {
		log_err("state journal %s: compacting: %s (it goes on growing)",
			j->path, strerror(-rc));
		if (fd >= 0) {
			close(fd);
			unlink(j->tmp_path);
		}
		free(offs);
		return rc;
	}
	fsync(j->dir_fd);	/* the rename itself */
	close(j->fd);
	j->fd = fd;
	j->unsynced = false;	/* the new file holds every put, synced */
	take_offsets(j, offs);
	free(offs);
	return 0;
}

static void maybe_compact(struct journal *j)
{
	if (j->size > COMPACT_MIN && j->size > 2 * j->live)
		compact(j);
}

/* Reads the header at @off of @buf; NULL or why it is not a record. */
static const char *check_record(const uint8_t *buf, size_t size, size_t off,
				uint32_t *plen)
{
	const uint8_t *h = buf + off;
	uint32_t len;

	if (size - off < HDR_LEN)
		return "truncated (a header cut short)";
	if (memcmp(h, "SRJ1", 4))
		return "no record marker";
	len = (uint32_t)get_le(h + 8, 4);
	*plen = len;
	if (len < 8 || len > MAX_PAYLOAD || (h[4] != TYPE_PUT && h[4] != TYPE_REMOVE))
		return "bad length or type";
	if (size - off - HDR_LEN < len)
		return "truncated (the payload cut short)";
	if (crc32_update(crc32_update(0, h + 4, 8), h + HDR_LEN, len) != get_le(h + 12, 4))
		return "checksum mismatch";
	return NULL;
}

/* Where reading goes on after a bad record at @off: the next marker. */
static size_t resync(const uint8_t *buf, size_t size, size_t off)
{
	const uint8_t *next = size - off > 4 ?
			      memmem(buf + off + 1, size - off - 1, "SRJ1", 4) : NULL;

	return next ? (size_t)(next - buf) : size;
}

static void replay(struct journal *j, const uint8_t *buf, size_t size)
{
	size_t off = 0;
	uint32_t len = 0;
	const char *bad;

	while (off < size) {
		bad = check_record(buf, size, off, &len);
		if (bad) {
			log_warn("state journal %s: record at byte %zu: %s; skipped",
				 j->path, off, bad);
			off = resync(buf, size, off);
			continue;
		}
		if (buf[off + 4] == TYPE_PUT)
			index_put(j, get_le(buf + off + HDR_LEN, 8),
				  (off_t)(off + HDR_LEN + 8), len - 8);
		else
			index_remove(j, get_le(buf + off + HDR_LEN, 8));
		off += HDR_LEN + len;
	}
}

static int read_journal(struct journal *j)
{
	struct stat st;
	uint8_t *buf;
	ssize_t got;

	if (fstat(j->fd, &st))
		return -errno;
	if (!st.st_size)
		return 0;
	buf = malloc((size_t)st.st_size);
	if (!buf)
		return -ENOMEM;
	got = pread(j->fd, buf, (size_t)st.st_size, 0);
	if (got == st.st_size)
		replay(j, buf, (size_t)got);
	secret_free(buf, (size_t)st.st_size);
	j->size = st.st_size;
	return got == st.st_size ? 0 : -EIO;
}

static void journal_free(struct journal *j)
{
	for (unsigned int i = 0; i < INDEX_BUCKETS; i++) {
		while (j->index[i]) {
			struct jentry *e = j->index[i];

			j->index[i] = e->next;
			free(e);
		}
	}
	if (j->fd >= 0)
		close(j->fd);
	if (j->dir_fd >= 0)
		close(j->dir_fd);
	free(j);
}

int call_store_open_file(struct call_store *st, const char *dir)
{
	struct journal *j = calloc(1, sizeof(*j));
	int rc;

	if (!j)
		return -ENOMEM;
	snprintf(j->path, sizeof(j->path), "%s/%s", dir, JOURNAL_NAME);
	snprintf(j->tmp_path, sizeof(j->tmp_path), "%s.new", j->path);
	j->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	j->fd = open(j->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	rc = j->fd < 0 || j->dir_fd < 0 ? -errno : 0;
	/* Keys inside: whatever mode an older file had, only we read it. */
	if (!rc && fchmod(j->fd, 0600))
		rc = -errno;
	if (!rc)
		rc = read_journal(j);
	if (!rc && j->size)
		rc = compact(j);
	if (rc) {
		log_err("state journal %s: %s", j->path, strerror(-rc));
		journal_free(j);
		return rc;
	}
	lseek(j->fd, 0, SEEK_END);
	log_info("state journal %s: %u call(s) stored", j->path, j->n_live);
	st->ops = &journal_ops;
	st->priv = j;
	return 0;
}

static int journal_put(struct call_store *st, uint64_t id, const uint8_t *rec,
		       size_t len)
{
	struct journal *j = st->priv;
	int rc;

	if (len > MAX_PAYLOAD - 8)
		return -EMSGSIZE;
	rc = append(j, TYPE_PUT, id, rec, len);
	if (!rc)
		maybe_compact(j);
	return rc;
}

static int journal_remove(struct call_store *st, uint64_t id)
{
	struct journal *j = st->priv;

	if (!*slot(j, id))
		return 0;
	return append(j, TYPE_REMOVE, id, NULL, 0);
}

static int journal_iterate(struct call_store *st, call_store_cb cb, void *arg)
{
	struct journal *j = st->priv;
	int rc = 0;

	for (unsigned int i = 0; i < INDEX_BUCKETS && !rc; i++) {
		for (struct jentry *e = j->index[i]; e && !rc; e = e->next) {
			uint8_t *p = read_payload(j, e);

			if (!p)
				continue;
			rc = cb(e->id, p, e->len, arg);
			secret_free(p, e->len);
		}
	}
	return rc;
}

static int journal_sync(struct call_store *st)
{
	struct journal *j = st->priv;

	if (!j->unsynced)
		return 0;
	if (fdatasync(j->fd)) {
		int rc = -errno;

		log_err("state journal %s: syncing: %s (a power cut may lose calls answered since the last sync)",
			j->path, strerror(-rc));
		return rc;
	}
	j->unsynced = false;
	return 0;
}

static void journal_close(struct call_store *st)
{
	journal_sync(st);
	journal_free(st->priv);
}

static const struct call_store_ops journal_ops = {
	.name = "file journal",
	.put = journal_put,
	.remove = journal_remove,
	.sync = journal_sync,
	.iterate = journal_iterate,
	.close = journal_close,
};

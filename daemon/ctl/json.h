/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A tiny JSON writer for srtprelayctl -j: it only tracks nesting and commas.
 * Every value call takes the member name inside an object and NULL inside an
 * array or at the top. Numbers are printed as integers (counters are u64).
 */
#ifndef SRTPRELAYCTL_JSON_H
#define SRTPRELAYCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 8

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	char *buf;		/* json_init_buffered() */
	size_t size;
};

void json_init(struct json *j, FILE *f);
/*
 * Writes into memory until json_commit(), so that a dump that fails half
 * way prints no half document. False if no memory.
 */
bool json_init_buffered(struct json *j);
/* Ends the document, prints it to @out if @ok, frees the buffer. */
void json_commit(struct json *j, FILE *out, bool ok);
void json_object_open(struct json *j, const char *name);
void json_object_close(struct json *j);
void json_array_open(struct json *j, const char *name);
void json_array_close(struct json *j);
void json_string(struct json *j, const char *name, const char *value);
void json_u64(struct json *j, const char *name, uint64_t value);
void json_bool(struct json *j, const char *name, bool value);
void json_null(struct json *j, const char *name);
/* Ends a top-level value with a newline and flushes (one per line). */
void json_end(struct json *j);

#endif /* SRTPRELAYCTL_JSON_H */

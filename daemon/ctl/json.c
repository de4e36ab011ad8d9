// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The JSON writer of srtprelayctl -j; see json.h. */
#include "json.h"

#include <inttypes.h>
#include <stdlib.h>

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
	j->buf = NULL;
	j->size = 0;
}

bool json_init_buffered(struct json *j)
{
	json_init(j, NULL);
	j->f = open_memstream(&j->buf, &j->size);
	return j->f != NULL;
}

void json_commit(struct json *j, FILE *out, bool ok)
{
	if (ok)
		json_end(j);
	fclose(j->f);
	if (ok)
		fwrite(j->buf, 1, j->size, out);
	fflush(out);
	free(j->buf);
	j->buf = NULL;
	j->f = NULL;
}

/* RFC 8259 section 7: quote, backslash and control characters escaped. */
static void put_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

static void member(struct json *j, const char *name)
{
	if (j->need_comma[j->depth])
		putc(',', j->f);
	j->need_comma[j->depth] = true;
	if (name) {
		put_string(j->f, name);
		putc(':', j->f);
	}
}

static void open_level(struct json *j, const char *name, char c)
{
	member(j, name);
	putc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_level(struct json *j, char c)
{
	putc(c, j->f);
	if (j->depth > 0)
		j->depth--;
}

void json_object_open(struct json *j, const char *name)
{
	open_level(j, name, '{');
}

void json_object_close(struct json *j)
{
	close_level(j, '}');
}

void json_array_open(struct json *j, const char *name)
{
	open_level(j, name, '[');
}

void json_array_close(struct json *j)
{
	close_level(j, ']');
}

void json_string(struct json *j, const char *name, const char *value)
{
	member(j, name);
	put_string(j->f, value);
}

void json_u64(struct json *j, const char *name, uint64_t value)
{
	member(j, name);
	fprintf(j->f, "%" PRIu64, value);
}

void json_bool(struct json *j, const char *name, bool value)
{
	member(j, name);
	fputs(value ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *name)
{
	member(j, name);
	fputs("null", j->f);
}

void json_end(struct json *j)
{
	putc('\n', j->f);
	fflush(j->f);
	j->depth = 0;
	j->need_comma[0] = false;
}

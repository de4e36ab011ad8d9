// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The readers' helpers (config_parse.h): mistakes as file:line, typed
 * values with their ranges, references by name, object lists. config.c
 * and the object readers (config_objects.c, config_routing.c) call these;
 * these call none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <libconfig.h>

#include "config/config_parse.h"

void cfg_error(struct cfg_ctx *ctx, const config_setting_t *s,
	       const char *fmt, ...)
{
	va_list ap;

	int line = s ? config_setting_source_line(s) : 0;

	if (line > 0)
		fprintf(ctx->out, "%s:%d: ", ctx->file, line);
	else
		fprintf(ctx->out, "%s: ", ctx->file);
	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->out);
	ctx->errors++;
}

void cfg_warn(struct cfg_ctx *ctx, const config_setting_t *s,
	      const char *fmt, ...)
{
	va_list ap;
	int line = s ? config_setting_source_line(s) : 0;

	if (line > 0)
		fprintf(ctx->out, "%s:%d: warning: ", ctx->file, line);
	else
		fprintf(ctx->out, "%s: warning: ", ctx->file);
	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->out);
}

/* Every member of @group must be one of @known (NULL-terminated). */
void cfg_check_keys(struct cfg_ctx *ctx, const config_setting_t *group,
		    const char *const *known)
{
	int i, n = config_setting_length(group);

	for (i = 0; i < n; i++) {
		const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(m);
		const char *const *k;

		for (k = known; *k; k++)
			if (name && !strcmp(name, *k))
				break;
		if (!*k)
			cfg_error(ctx, m, "unknown setting '%s' in %s", name ? name : "?",
				  config_setting_name(group) ? config_setting_name(group) :
				  "this object");
	}
}

bool cfg_str(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	     char *out, size_t size, bool required)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	const char *v;

	if (!s) {
		if (required)
			cfg_error(ctx, g, "missing '%s'", key);
		return false;
	}
	v = config_setting_get_string(s);
	if (!v) {
		cfg_error(ctx, s, "'%s' must be a string", key);
		return false;
	}
	if (strlen(v) >= size) {
		cfg_error(ctx, s, "'%s' is longer than %zu characters", key, size - 1);
		return false;
	}
	strcpy(out, v);
	return true;
}

bool cfg_int(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	     long min, long max, long *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	long long v;

	if (!s)
		return false;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		cfg_error(ctx, s, "'%s' must be an integer", key);
		return false;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		cfg_error(ctx, s, "'%s' = %lld is out of range %ld..%ld", key, v,
			  min, max);
		return false;
	}
	*out = (long)v;
	return true;
}

bool cfg_bool(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	      bool *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return false;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		cfg_error(ctx, s, "'%s' must be true or false", key);
		return false;
	}
	*out = config_setting_get_bool(s);
	return true;
}

/* Index of the object called @name in an array of named objects. */
int cfg_ref(struct cfg_ctx *ctx, const config_setting_t *g, const char *key,
	    const void *base, size_t stride, unsigned int n, const char *what,
	    bool required)
{
	char name[CFG_NAME_MAX];
	unsigned int i;

	if (!cfg_str(ctx, g, key, name, sizeof(name), required))
		return -1;
	for (i = 0; i < n; i++)
		if (!strcmp((const char *)base + i * stride, name))
			return (int)i;
	cfg_error(ctx, config_setting_get_member(g, key),
		  "%s '%s' is not defined (define it before it is used)", what, name);
	return -1;
}

config_setting_t *cfg_list(struct cfg_ctx *ctx, config_setting_t *root,
			   const char *key)
{
	config_setting_t *l = config_setting_get_member(root, key);

	if (!l)
		return NULL;
	if (!config_setting_is_list(l) && !config_setting_is_array(l)) {
		cfg_error(ctx, l, "'%s' must be a list: %s = ( { ... }, ... );",
			  key, key);
		return NULL;
	}
	return l;
}

bool cfg_object(struct cfg_ctx *ctx, config_setting_t *o, char *name,
		const void *base, size_t stride, unsigned int n, unsigned int max)
{
	unsigned int i;

	if (!config_setting_is_group(o)) {
		cfg_error(ctx, o, "expected an object { name = \"...\"; ... }");
		return false;
	}
	if (n >= max) {
		cfg_error(ctx, o, "more than %u objects of this kind", max);
		return false;
	}
	if (!cfg_str(ctx, o, "name", name, CFG_NAME_MAX, true))
		return false;
	for (i = 0; i < n; i++) {
		if (!strcmp((const char *)base + i * stride, name)) {
			cfg_error(ctx, o, "name '%s' is used twice", name);
			return false;
		}
	}
	return true;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Readers of what digest authentication needs: a proxy set's credentials
 * (auth) and outbound registration (register), and the registrar's realm
 * and users file. Passwords and HA1s are secrets: copied into struct
 * config (wiped by config_free), the copies libconfig and our file reads
 * made cleansed at once, and never printed, not even in a mistake.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <openssl/crypto.h>

#include "config/config_parse.h"
#include "sip/digest.h"

/* Group or others may write it, or others read it: refused (a secret
 * anyone can read is no secret, one anyone can write lets them in). */
static bool mode_ok(struct cfg_ctx *ctx, const config_setting_t *s,
		    const char *path, int fd)
{
	struct stat st;

	if (fstat(fd, &st)) {
		cfg_error(ctx, s, "%s: %s", path, strerror(errno));
		return false;
	}
	if (st.st_mode & (S_IWGRP | S_IRWXO)) {
		cfg_error(ctx, s, "%s: mode %03o: others may read it or group/others write it (chmod 640)",
			  path, (unsigned int)(st.st_mode & 0777));
		return false;
	}
	return true;
}

/* Reads a whole small secret file into @buf (NUL-terminated); its size
 * or -1 after an error at @s. */
static ssize_t read_secret_file(struct cfg_ctx *ctx, const config_setting_t *s,
				const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 1;

	if (fd < 0) {
		cfg_error(ctx, s, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!mode_ok(ctx, s, path, fd)) {
		close(fd);
		return -1;
	}
	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	if (r > 0) {
		char extra;

		if (read(fd, &extra, 1) > 0) {
			cfg_error(ctx, s, "%s: longer than %zu bytes", path, len - 1);
			close(fd);
			OPENSSL_cleanse(buf, len);
			return -1;
		}
	}
	close(fd);
	if (r < 0) {
		cfg_error(ctx, s, "%s: %s", path, strerror(errno));
		OPENSSL_cleanse(buf, len);
		return -1;
	}
	buf[n] = 0;
	return (ssize_t)n;
}

/* A string that is a secret: libconfig's copy is cleansed once read. */
static bool secret_str(struct cfg_ctx *ctx, const config_setting_t *g,
		       const char *key, char *out, size_t size)
{
	config_setting_t *s = config_setting_get_member(g, key);
	char *v = s ? (char *)config_setting_get_string(s) : NULL;
	bool ok = v && cfg_str(ctx, g, key, out, size, false);

	if (s && !v)
		cfg_error(ctx, s, "'%s' must be a string", key);
	if (v)
		OPENSSL_cleanse(v, strlen(v));
	return ok;
}

static void load_password(struct cfg_ctx *ctx, config_setting_t *a,
			  const char *set, struct cfg_auth *auth)
{
	config_setting_t *pf = config_setting_get_member(a, "password_file");
	char path[CFG_PATH_MAX];
	ssize_t n;

	if (pf && config_setting_get_member(a, "password")) {
		cfg_error(ctx, pf, "proxy set '%s' auth: password or password_file, not both", set);
		return;
	}
	if (!pf) {
		if (!secret_str(ctx, a, "password", auth->password, sizeof(auth->password)))
			cfg_error(ctx, a, "proxy set '%s' auth: missing password (or password_file)",
				  set);
		return;
	}
	if (!cfg_str(ctx, a, "password_file", path, sizeof(path), true))
		return;
	n = read_secret_file(ctx, pf, path, auth->password, sizeof(auth->password));
	while (n > 0 && (auth->password[n - 1] == '\n' || auth->password[n - 1] == '\r'))
		auth->password[--n] = 0;
	if (n == 0)
		cfg_error(ctx, pf, "%s: empty password", path);
}

/* auth = { username = "..."; password = "..." | password_file = "..."; realm = "..."; } */
static void load_auth(struct cfg_ctx *ctx, config_setting_t *o,
		      struct cfg_proxy_set *p)
{
	static const char *const known[] = { "username", "password",
		"password_file", "realm", NULL };
	config_setting_t *a = config_setting_get_member(o, "auth");

	if (!a)
		return;
	if (!config_setting_is_group(a)) {
		cfg_error(ctx, a, "proxy set '%s': auth = { username = \"...\"; password_file = \"...\"; }",
			  p->name);
		return;
	}
	cfg_check_keys(ctx, a, known);
	p->auth.set = true;
	cfg_str(ctx, a, "username", p->auth.username, sizeof(p->auth.username), true);
	if (strpbrk(p->auth.username, "\"\\\r\n"))
		cfg_error(ctx, a, "proxy set '%s' auth: a quote, backslash or line break in username",
			  p->name);
	cfg_str(ctx, a, "realm", p->auth.realm, sizeof(p->auth.realm), false);
	load_password(ctx, a, p->name, &p->auth);
}

/* register = { aor = "sip:sbc@carrier.example"; expires = 3600; contact = "..."; } */
static void load_register(struct cfg_ctx *ctx, config_setting_t *o,
			  struct cfg_proxy_set *p)
{
	static const char *const known[] = { "aor", "expires", "contact", NULL };
	config_setting_t *r = config_setting_get_member(o, "register");
	long v;

	if (!r)
		return;
	if (!config_setting_is_group(r)) {
		cfg_error(ctx, r, "proxy set '%s': register = { aor = \"sip:user@domain\"; expires = 3600; }",
			  p->name);
		return;
	}
	cfg_check_keys(ctx, r, known);
	p->reg.set = true;
	p->reg.expires = 3600;
	if (cfg_str(ctx, r, "aor", p->reg.aor, sizeof(p->reg.aor), true) &&
	    strncmp(p->reg.aor, "sip:", 4) && strncmp(p->reg.aor, "sips:", 5))
		cfg_error(ctx, r, "proxy set '%s' register: aor '%s' is not a sip: or sips: URI",
			  p->name, p->reg.aor);
	if (cfg_int(ctx, r, "expires", 10, 86400, &v))
		p->reg.expires = (unsigned int)v;
	cfg_str(ctx, r, "contact", p->reg.contact, sizeof(p->reg.contact), false);
	if (!p->n_targets)
		cfg_error(ctx, r, "proxy set '%s' register: no targets to register with",
			  p->name);
}

void config_load_proxy_auth(struct cfg_ctx *ctx, config_setting_t *o,
			    struct cfg_proxy_set *p)
{
	load_auth(ctx, o, p);
	load_register(ctx, o, p);
}

/* One "user:realm:HA1" (MD5 HA1 of 32 hex digits, as Kamailio's ha1 and
 * Asterisk's md5secret) or "user:password" line. */
static int parse_user(char *line, const char *realm, struct cfg_user *u)
{
	char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	memset(u, 0, sizeof(*u));
	if (!c1 || c1 == line || (size_t)(c1 - line) >= sizeof(u->name))
		return -1;
	memcpy(u->name, line, (size_t)(c1 - line));
	if (c2 && strlen(c2 + 1) == 32 && strspn(c2 + 1, "0123456789abcdefABCDEF") == 32 &&
	    (size_t)(c2 - c1 - 1) == strlen(realm) && !strncmp(c1 + 1, realm, strlen(realm))) {
		u->md5_ha1 = true;
		for (int i = 0; i < 32; i++)
			u->secret[i] = (char)(c2[1 + i] | 0x20);	/* lower case */
		return 0;
	}
	if (c2 && strlen(c2 + 1) == 32 && strspn(c2 + 1, "0123456789abcdefABCDEF") == 32)
		return -2;	/* an HA1 for another realm: useless here */
	if (strlen(c1 + 1) >= sizeof(u->secret) || !c1[1])
		return -1;
	strcpy(u->secret, c1 + 1);
	return 0;
}

static void load_users(struct cfg_ctx *ctx, config_setting_t *s,
		       struct cfg_registrar *r)
{
	char *buf = malloc(CFG_USERS_FILE_MAX + 1), *line, *save = NULL;
	unsigned int lineno = 0;
	ssize_t n;

	if (!buf) {
		cfg_error(ctx, s, "%s: out of memory", r->users_file);
		return;
	}
	n = read_secret_file(ctx, s, r->users_file, buf, CFG_USERS_FILE_MAX + 1);
	for (line = n > 0 ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct cfg_user *u;
		size_t l = strlen(line);
		int rc;

		lineno++;
		if (l && line[l - 1] == '\r')
			line[--l] = 0;
		if (!l || line[0] == '#')
			continue;
		if (r->n_users == CFG_MAX_USERS) {
			cfg_error(ctx, s, "%s: more than %d users", r->users_file, CFG_MAX_USERS);
			break;
		}
		u = &r->users[r->n_users];
		rc = parse_user(line, r->realm, u);
		if (rc == -2)
			cfg_error(ctx, s, "%s:%u: an HA1 for another realm than '%s'",
				  r->users_file, lineno, r->realm);
		else if (rc)
			cfg_error(ctx, s, "%s:%u: neither user:password nor user:realm:HA1",
				  r->users_file, lineno);
		else
			r->n_users++;
	}
	if (n == 0)
		cfg_warn(ctx, s, "%s: no users: every REGISTER will be refused", r->users_file);
	OPENSSL_cleanse(buf, CFG_USERS_FILE_MAX + 1);
	free(buf);
}

/* algorithms = [ "SHA-256", "MD5" ]: which challenges go out, in order. */
static void load_algorithms(struct cfg_ctx *ctx, config_setting_t *g,
			    struct cfg_registrar *r)
{
	config_setting_t *v = config_setting_get_member(g, "algorithms");
	int i, n;

	r->algos[0] = DIGEST_MD5;
	r->n_algos = 1;
	if (!v)
		return;
	n = config_setting_is_array(v) ? config_setting_length(v) : 0;
	if (n < 1 || n > 2) {
		cfg_error(ctx, v, "algorithms: [ \"SHA-256\", \"MD5\" ] or one of them");
		return;
	}
	r->n_algos = 0;
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(v, i);
		enum digest_algo a;

		if (!s || digest_algo_parse(s, strlen(s), &a) ||
		    (a != DIGEST_MD5 && a != DIGEST_SHA256) ||
		    (r->n_algos && r->algos[0] == a)) {
			cfg_error(ctx, v, "algorithm '%s': use SHA-256 or MD5, once each",
				  s ? s : "?");
			continue;
		}
		r->algos[r->n_algos++] = a;
	}
}

/* registrar = { realm = "sbc.example.test"; users_file = "..."; nonce_lifetime = 300;
 *               algorithms = [ "MD5" ]; } */
void config_load_registrar(struct cfg_ctx *ctx, config_setting_t *root,
			   struct config *cfg)
{
	static const char *const known[] = { "realm", "users_file",
		"nonce_lifetime", "algorithms", NULL };
	config_setting_t *g = config_setting_get_member(root, "registrar");
	struct cfg_registrar *r = &cfg->registrar;
	long v;

	if (!g)
		return;
	if (!config_setting_is_group(g)) {
		cfg_error(ctx, g, "registrar = { realm = \"...\"; users_file = \"...\"; }");
		return;
	}
	cfg_check_keys(ctx, g, known);
	r->nonce_lifetime = 300;
	load_algorithms(ctx, g, r);
	if (cfg_int(ctx, g, "nonce_lifetime", 10, 3600, &v))
		r->nonce_lifetime = (unsigned int)v;
	if (!cfg_str(ctx, g, "realm", r->realm, sizeof(r->realm), true) ||
	    !cfg_str(ctx, g, "users_file", r->users_file, sizeof(r->users_file), true))
		return;
	if (strpbrk(r->realm, "\"\\\r\n:")) {
		cfg_error(ctx, g, "registrar realm '%s': no quotes, backslashes or colons", r->realm);
		return;
	}
	r->users = calloc(CFG_MAX_USERS, sizeof(*r->users));
	if (!r->users) {
		cfg_error(ctx, g, "registrar: out of memory");
		return;
	}
	if (getrandom(r->nonce_key, sizeof(r->nonce_key), 0) != sizeof(r->nonce_key)) {
		cfg_error(ctx, g, "registrar: no random nonce key: %s", strerror(errno));
		return;
	}
	r->challenge = true;
	load_users(ctx, config_setting_get_member(g, "users_file"), r);
}

void config_free_secrets(struct config *cfg)
{
	unsigned int i;

	for (i = 0; i < CFG_MAX_OBJ; i++)
		OPENSSL_cleanse(&cfg->proxy_sets[i].auth, sizeof(cfg->proxy_sets[i].auth));
	if (cfg->registrar.users) {
		OPENSSL_cleanse(cfg->registrar.users,
				CFG_MAX_USERS * sizeof(*cfg->registrar.users));
		free(cfg->registrar.users);
		cfg->registrar.users = NULL;
	}
	cfg->registrar.n_users = 0;
	OPENSSL_cleanse(cfg->registrar.nonce_key, sizeof(cfg->registrar.nonce_key));
}

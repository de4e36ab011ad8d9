// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What digest authentication reads from the configuration
 * (daemon/config/config_auth.c, compiled in): a proxy set's auth (password
 * or password_file, whose mode is checked) and register groups, the
 * registrar's users file (plain passwords and MD5 HA1s), mistakes as
 * file:line without the password in them, and config_free wiping it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../daemon/base/addr.c"
#include "../../daemon/sip/sip_types.c"
#include "../../daemon/config/config.c"
#include "../../daemon/config/config_auth.c"
#include "../../daemon/config/config_default.c"
#include "../../daemon/config/config_dns.c"
#include "../../daemon/config/config_limits.c"
#include "../../daemon/config/config_metrics.c"
#include "../../daemon/config/config_identity.c"
#include "../../daemon/config/config_objects.c"
#include "../../daemon/config/config_parse.c"
#include "../../daemon/config/config_routing.c"
#include "../../daemon/base/log.c"
#include "../../daemon/sip/digest.c"
#include "testing.h"

static char report[4096];
static struct config cfg;

/* The common head plus @proxy_extra inside proxy set "p" and @tail. */
static int load(const char *proxy_extra, const char *tail)
{
	char path[] = "/tmp/test_config_auth.XXXXXX";
	int fd = mkstemp(path), errors;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	FILE *out;

	if (!f)
		return -100;
	fprintf(f, "media_realms = ( { name = \"r\"; address = \"127.0.0.1\"; ports = [ 40000, 40099 ]; } );\n"
		"sip_interfaces = ( { name = \"i\"; address = \"127.0.0.1\"; udp_port = 5060; "
		"media_realm = \"r\"; } );\n"
		"proxy_sets = ( { name = \"p\"; targets = [ \"192.0.2.1:5060\" ];\n%s } );\n%s",
		proxy_extra, tail);
	fclose(f);
	report[0] = 0;
	out = fmemopen(report, sizeof(report), "w");
	errors = config_load_report(path, &cfg, out);
	fclose(out);
	unlink(path);
	return errors;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, mode);
}

static bool all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

static void auth_and_register_read(void)
{
	CHECK(load("auth = { username = \"sbc\"; password = \"pw-inline\"; realm = \"carrier\"; };\n"
		   "register = { aor = \"sip:sbc@carrier.example\"; expires = 600; };", "") == 0,
	      "%s", report);
	CHECK(cfg.proxy_sets[0].auth.set && !strcmp(cfg.proxy_sets[0].auth.username, "sbc") &&
	      !strcmp(cfg.proxy_sets[0].auth.password, "pw-inline") &&
	      !strcmp(cfg.proxy_sets[0].auth.realm, "carrier"), "auth read");
	CHECK(cfg.proxy_sets[0].reg.set && cfg.proxy_sets[0].reg.expires == 600 &&
	      !strcmp(cfg.proxy_sets[0].reg.aor, "sip:sbc@carrier.example"), "register read");
	config_free(&cfg);
	CHECK(all_zero(&cfg.proxy_sets[0].auth, sizeof(cfg.proxy_sets[0].auth)),
	      "config_free wiped the credentials");
}

static void password_file_mode_checked(void)
{
	const char *pf = "/tmp/test_config_auth.pw";

	write_file(pf, "pw-from-file\n", 0600);
	CHECK(load("auth = { username = \"sbc\"; password_file = \"/tmp/test_config_auth.pw\"; };",
		   "") == 0, "%s", report);
	CHECK(!strcmp(cfg.proxy_sets[0].auth.password, "pw-from-file"), "read, newline dropped");
	config_free(&cfg);
	chmod(pf, 0644);
	CHECK(load("auth = { username = \"sbc\"; password_file = \"/tmp/test_config_auth.pw\"; };",
		   "") == 1, "%s", report);
	CHECK(strstr(report, ":4: /tmp/test_config_auth.pw: mode 644: others may read it"),
	      "%s", report);
	CHECK(!strstr(report, "pw-from-file"), "the password is not in the report");
	config_free(&cfg);
	unlink(pf);
}

static void mistakes_refused(void)
{
	CHECK(load("auth = { username = \"sbc\"; };", "") == 1, "%s", report);
	CHECK(strstr(report, "missing password (or password_file)"), "%s", report);
	config_free(&cfg);
	CHECK(load("auth = { username = \"sbc\"; password = \"x\"; password_file = \"/x\"; };",
		   "") == 1, "%s", report);
	CHECK(strstr(report, "password or password_file, not both"), "%s", report);
	config_free(&cfg);
	CHECK(load("register = { aor = \"tel:123\"; };", "") == 1, "%s", report);
	CHECK(strstr(report, "is not a sip: or sips: URI"), "%s", report);
	config_free(&cfg);
	CHECK(load("auth = { username = \"sbc\"; password = \"secret-word\"; colour = 1; };",
		   "") == 1, "%s", report);
	CHECK(!strstr(report, "secret-word"), "password not echoed: %s", report);
	config_free(&cfg);
}

static void users_file_read(void)
{
	const char *uf = "/tmp/test_config_auth.users";
	char ha1[DIGEST_HEX_LEN];
	char text[256];

	digest_ha1(DIGEST_MD5, "bob", "sbc.test", "bobpw", ha1);
	snprintf(text, sizeof(text), "# users\nalice:alicepw\nbob:sbc.test:%s\n\n", ha1);
	write_file(uf, text, 0640);
	CHECK(load("", "registrar = { realm = \"sbc.test\"; users_file = \"/tmp/test_config_auth.users\"; };\n")
	      == 0, "%s", report);
	CHECK(cfg.registrar.challenge && cfg.registrar.n_users == 2, "%u users",
	      cfg.registrar.n_users);
	CHECK(!strcmp(cfg.registrar.users[0].name, "alice") && !cfg.registrar.users[0].md5_ha1 &&
	      !strcmp(cfg.registrar.users[0].secret, "alicepw"), "plain password");
	CHECK(!strcmp(cfg.registrar.users[1].name, "bob") && cfg.registrar.users[1].md5_ha1 &&
	      !strcmp(cfg.registrar.users[1].secret, ha1), "HA1");
	config_free(&cfg);
	CHECK(!cfg.registrar.users, "users freed");
	write_file(uf, "carol:other.realm:0123456789abcdef0123456789abcdef\nnocolon\n", 0600);
	CHECK(load("", "registrar = { realm = \"sbc.test\"; users_file = \"/tmp/test_config_auth.users\"; };\n")
	      == 2, "%s", report);
	CHECK(strstr(report, "users:1: an HA1 for another realm than 'sbc.test'") &&
	      strstr(report, "users:2: neither user:password nor user:realm:HA1"), "%s", report);
	config_free(&cfg);
	chmod(uf, 0604);
	CHECK(load("", "registrar = { realm = \"sbc.test\"; users_file = \"/tmp/test_config_auth.users\"; };\n")
	      == 1 && strstr(report, "mode 604"), "%s", report);
	config_free(&cfg);
	unlink(uf);
}

static void registrar_algorithms(void)
{
	const char *uf = "/tmp/test_config_auth.users2";

	write_file(uf, "alice:pw\n", 0600);
	CHECK(load("", "registrar = { realm = \"r\"; users_file = \"/tmp/test_config_auth.users2\"; };\n")
	      == 0, "%s", report);
	CHECK(cfg.registrar.n_algos == 1 && cfg.registrar.algos[0] == DIGEST_MD5,
	      "MD5 alone by default");
	CHECK(!all_zero(cfg.registrar.nonce_key, sizeof(cfg.registrar.nonce_key)), "a nonce key");
	config_free(&cfg);
	CHECK(all_zero(cfg.registrar.nonce_key, sizeof(cfg.registrar.nonce_key)),
	      "nonce key wiped");
	CHECK(load("", "registrar = { realm = \"r\"; users_file = \"/tmp/test_config_auth.users2\"; "
		   "algorithms = [ \"SHA-256\", \"MD5\" ]; };\n") == 0, "%s", report);
	CHECK(cfg.registrar.n_algos == 2 && cfg.registrar.algos[0] == DIGEST_SHA256 &&
	      cfg.registrar.algos[1] == DIGEST_MD5, "SHA-256 then MD5");
	config_free(&cfg);
	CHECK(load("", "registrar = { realm = \"r\"; users_file = \"/tmp/test_config_auth.users2\"; "
		   "algorithms = [ \"MD5\", \"MD5\" ]; };\n") == 1 &&
	      strstr(report, "use SHA-256 or MD5, once each"), "%s", report);
	config_free(&cfg);
	CHECK(load("", "registrar = { realm = \"r\"; users_file = \"/tmp/test_config_auth.users2\"; "
		   "algorithms = [ \"SHA-512-256\" ]; };\n") == 1, "%s", report);
	config_free(&cfg);
	unlink(uf);
}

int main(void)
{
	RUN(auth_and_register_read, "auth and register read; config_free wipes the password");
	RUN(password_file_mode_checked, "password_file read; readable by others refused");
	RUN(mistakes_refused, "missing or doubled password, non-SIP aor refused, password never echoed");
	RUN(users_file_read, "users file: passwords and HA1s, bad lines and modes refused");
	RUN(registrar_algorithms, "registrar algorithms: MD5 by default, SHA-256 and MD5 in order, mistakes");
	return testing_summary();
}

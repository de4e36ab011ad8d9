// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayd's proxy-set targets as the configuration reads them, compiled
 * in from daemon/: ;tls_name (RFC 5922 names of outgoing TLS), what is
 * refused with file:line (a wildcard, a name on a non-TLS target, two names
 * for one address, an unknown parameter), the warning for a verifying
 * context without a name, the lookup the TLS transport does by address, host
 * names (resolved at run time) and the dns servers.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../daemon/base/addr.c"
#include "../../daemon/sip/sip_types.c"
#include "../../daemon/config/config.c"
#include "../../daemon/config/config_auth.c"
#include "../../daemon/config/config_default.c"
#include "../../daemon/config/config_dns.c"
#include "../../daemon/config/config_limits.c"
#include "../../daemon/config/config_identity.c"
#include "../../daemon/config/config_metrics.c"
#include "../../daemon/config/config_objects.c"
#include "../../daemon/config/config_parse.c"
#include "../../daemon/config/config_routing.c"
#include "../../daemon/base/log.c"
#include "../../daemon/sip/digest.c"
#include "testing.h"

static char report[4096];

/* Loads a file of the common head plus @targets (the proxy set "p");
 * returns the number of mistakes, the report in report[]. */
static int load_with(const char *targets, bool verify, const char *more,
		     struct config *cfg)
{
	char path[] = "/tmp/test_config_targets.XXXXXX";
	int fd = mkstemp(path), errors;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	FILE *out;

	if (!f)
		return -100;
	fprintf(f, "tls_contexts = ( { name = \"t\"; certificate = \"/c.pem\"; "
		"private_key = \"/k.pem\"; ca_file = \"/ca.pem\"; verify = %s; } );\n"
		"media_realms = ( { name = \"r\"; address = \"127.0.0.1\"; ports = [ 40000, 40099 ]; } );\n"
		"sip_interfaces = ( { name = \"i\"; address = \"127.0.0.1\"; udp_port = 5060; "
		"tls_port = 5061; tls_context = \"t\"; media_realm = \"r\"; } );\n"
		"proxy_sets = ( { name = \"p\"; targets = [ %s ]; } );\n%s",
		verify ? "true" : "false", targets, more);
	fclose(f);
	report[0] = 0;
	out = fmemopen(report, sizeof(report), "w");
	errors = config_load_report(path, cfg, out);
	fclose(out);
	unlink(path);
	config_free(cfg);
	return errors;
}

static int load(const char *targets, bool verify, struct config *cfg)
{
	return load_with(targets, verify, "", cfg);
}

static struct config cfg;

static void tls_name_read(void)
{
	struct sockaddr_storage a;

	CHECK(load("\"192.0.2.1:5061;transport=tls;tls_name=SBC.example.test\"", true, &cfg) == 0,
	      "%s", report);
	CHECK(!strcmp(cfg.proxy_sets[0].targets[0].tls_name, "SBC.example.test"), "%s",
	      cfg.proxy_sets[0].targets[0].tls_name);
	CHECK(cfg.proxy_sets[0].targets[0].proto == SIP_TLS, "proto");
	sockaddr_parse("192.0.2.1", 5061, &a);
	CHECK(config_tls_name(&cfg, &a) && !strcmp(config_tls_name(&cfg, &a), "SBC.example.test"),
	      "lookup by address");
	sockaddr_parse("192.0.2.1", 5062, &a);
	CHECK(!config_tls_name(&cfg, &a), "another port has no name");
}

static void parameters_any_order(void)
{
	CHECK(load("\"192.0.2.1;tls_name=a.example.test;transport=tls\"", true, &cfg) == 0,
	      "%s", report);
	CHECK(sockaddr_port(&cfg.proxy_sets[0].targets[0].addr) == 5061, "TLS default port");
}

static void wildcard_refused(void)
{
	CHECK(load("\"192.0.2.1:5061;transport=tls;tls_name=*.example.test\"", true, &cfg) == 1,
	      "%s", report);
	CHECK(strstr(report, ":4: proxy set 'p' target 1: tls_name '*.example.test' is a wildcard: RFC 5922 section 7.2"),
	      "%s", report);
}

static void name_needs_tls(void)
{
	CHECK(load("\"192.0.2.1:5060;tls_name=a.example.test\"", true, &cfg) == 1, "%s", report);
	CHECK(strstr(report, "tls_name needs ;transport=tls"), "%s", report);
}

static void bad_names_refused(void)
{
	CHECK(load("\"192.0.2.1:5061;transport=tls;tls_name=\"", true, &cfg) == 1, "%s", report);
	CHECK(strstr(report, "tls_name must be 1..127 characters"), "%s", report);
	CHECK(load("\"192.0.2.1:5061;transport=tls;tls_name=a b\"", true, &cfg) == 1, "%s", report);
	CHECK(strstr(report, "is not a host name"), "%s", report);
	CHECK(load("\"192.0.2.1:5061;transport=tls;colour=red\"", true, &cfg) == 1, "%s", report);
	CHECK(strstr(report, "only ;transport=udp|tcp|tls and ;tls_name=DOMAIN"), "%s", report);
	CHECK(load("\"192.0.2.1:5061;transport=sctp\"", true, &cfg) == 1, "%s", report);
	CHECK(strstr(report, "only ;transport=udp|tcp|tls"), "%s", report);
}

static void one_name_per_address(void)
{
	CHECK(load("\"192.0.2.1:5061;transport=tls;tls_name=a.example.test\", "
		   "\"192.0.2.1:5061;transport=tls;tls_name=b.example.test\"", true, &cfg) == 1,
	      "%s", report);
	CHECK(strstr(report, "two tls_names for one address ('a.example.test' in proxy set 'p')"),
	      "%s", report);
	CHECK(load("\"192.0.2.1:5061;transport=tls;tls_name=a.example.test\", "
		   "\"192.0.2.1:5062;transport=tls;tls_name=b.example.test\"", true, &cfg) == 0,
	      "other ports may have other names: %s", report);
}

static void verify_without_name_warns(void)
{
	CHECK(load("\"192.0.2.1:5061;transport=tls\"", true, &cfg) == 0, "%s", report);
	CHECK(strstr(report, ":4: warning: proxy set 'p' target 192.0.2.1: tls context 't' verifies, but without ;tls_name= only the chain is checked"),
	      "%s", report);
	CHECK(load("\"192.0.2.1:5061;transport=tls\"", false, &cfg) == 0, "%s", report);
	CHECK(!strstr(report, "only the chain is checked"),
	      "no tls_name warning without verify: %s", report);
	CHECK(strstr(report, ":1: warning: tls context 't': verify = false: servers it connects to are not authenticated"),
	      "verify = false is warned about instead: %s", report);
}

static void host_names(void)
{
	const struct cfg_target *t = &cfg.proxy_sets[0].targets[0];

	CHECK(load("\"trunk.example.test\", \"sip.example.test:5067;transport=tls\"", true,
		   &cfg) == 0, "%s", report);
	CHECK(t->is_name && !t->port && !t->proto_given, "a bare name: port and transport by RFC 3263");
	CHECK(!strstr(report, "only the chain is checked"),
	      "a TLS name is its own RFC 5922 name, no warning: %s", report);
	t = &cfg.proxy_sets[0].targets[1];
	CHECK(t->is_name && t->port == 5067 && t->proto_given && t->proto == SIP_TLS,
	      "a name's port and transport as written");
	CHECK(load("\"trunk..example.test\", \"-a.example.test\", \"a_b.test\", \"1.2.3.4.5\"",
		   true, &cfg) == 4, "%s", report);
	CHECK(strstr(report, ":4: proxy set 'p' target 1: 'trunk..example.test' is neither an IP address nor a host name"),
	      "%s", report);
	CHECK(strstr(report, "target 4: '1.2.3.4.5' is neither"), "%s", report);
}

static void dns_servers(void)
{
	CHECK(load_with("\"192.0.2.1\"", true, "dns = { servers = [ \"127.0.0.53\", "
			"\"[::1]:5353\", \"192.0.2.53:53\" ]; };\n", &cfg) == 0, "%s", report);
	CHECK(!strcmp(cfg.dns.servers, "127.0.0.53,[::1]:5353,192.0.2.53:53"), "%s", cfg.dns.servers);
	CHECK(load_with("\"192.0.2.1\"", true, "dns = { servers = [ \"ns.example.test\", "
			"\"[::1]:0\" ]; };\n", &cfg) == 2, "%s", report);
	CHECK(strstr(report, ":5: dns server 1 'ns.example.test': not ADDR, ADDR:PORT or [ADDR]:PORT"),
	      "%s", report);
}

int main(void)
{
	RUN(tls_name_read, "a TLS target's tls_name is kept and found by address");
	RUN(parameters_any_order, "parameters in any order, 5061 by default for TLS");
	RUN(wildcard_refused, "a wildcard tls_name is refused (RFC 5922 7.2)");
	RUN(name_needs_tls, "tls_name on a UDP target is refused");
	RUN(bad_names_refused, "empty and non-host names, unknown parameters refused");
	RUN(one_name_per_address, "one address, one tls_name");
	RUN(verify_without_name_warns, "verify without tls_name: a warning, not an error");
	RUN(host_names, "host names: kept for RFC 3263, malformed ones refused");
	RUN(dns_servers, "dns servers: addresses with optional ports, names refused");
	return testing_summary();
}

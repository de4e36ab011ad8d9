// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl realm add|del|list: the address and port ranges the module
 * may touch. A realm is the only thing that makes the module look at a
 * packet at all, so it comes before any stream.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "show.h"
#include "subcommands.h"

static const char realm_usage[] =
	"realm { add ID ADDR PORTMIN-PORTMAX [nfqueue N] | del ID | list }";
static const char add_usage[] = "realm add ID ADDR PORTMIN-PORTMAX [nfqueue N]";
static const char del_usage[] = "realm del ID";
static const char list_usage[] = "[-j] realm list";

static int realm_add(int argc, char *argv[])
{
	struct relay_nl_realm realm = { 0 };
	struct relay_nl *nl;
	char addr[ENDPOINT_STRLEN];
	int status = EXIT_OK;

	if (argc != 4 && argc != 6)
		return usage_error(add_usage, "realm add: wrong number of arguments");
	if (!parse_u32(argv[1], &realm.id) || realm.id == 0)
		return usage_error(add_usage,
				   "realm add: ID '%s' is not a number from 1 to 4294967295",
				   argv[1]);
	if (!parse_address(argv[2], &realm.addr))
		return usage_error(add_usage,
				   "realm add: '%s' is not an IPv4 or IPv6 address",
				   argv[2]);
	if (!parse_port_range(argv[3], &realm.port_min, &realm.port_max))
		return usage_error(add_usage,
				   "realm add: '%s' is not a port range MIN-MAX with 1 <= MIN <= MAX <= 65535",
				   argv[3]);
	if (argc == 6) {
		if (strcmp(argv[4], "nfqueue"))
			return usage_error(add_usage,
					   "realm add: unknown keyword '%s'",
					   argv[4]);
		if (!parse_u16(argv[5], &realm.nfqueue))
			return usage_error(add_usage,
					   "realm add: nfqueue '%s' is not a number from 0 to 65535",
					   argv[5]);
		realm.has_nfqueue = true;
	}
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_realm_add(nl, &realm) < 0)
		status = ctl_fail(nl, "realm add %" PRIu32 " %s %u-%u", realm.id,
				  format_address(&realm.addr, addr, sizeof(addr)),
				  realm.port_min, realm.port_max);
	relay_nl_close(nl);
	return status;
}

static int realm_del(int argc, char *argv[])
{
	struct relay_nl *nl;
	int status = EXIT_OK;
	uint32_t id;

	if (argc != 2)
		return usage_error(del_usage, "realm del: wrong number of arguments");
	if (!parse_u32(argv[1], &id) || id == 0)
		return usage_error(del_usage,
				   "realm del: ID '%s' is not a number from 1 to 4294967295",
				   argv[1]);
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (relay_nl_realm_del(nl, id) < 0)
		status = ctl_fail(nl, "realm del %" PRIu32, id);
	relay_nl_close(nl);
	return status;
}

static int list_one(const struct relay_nl_realm *realm, void *arg)
{
	print_realm(arg, realm);
	return 0;
}

static int realm_list(int argc, char *argv[])
{
	struct json json, *j = NULL;
	struct relay_nl *nl;
	int status = EXIT_OK;

	if (argc != 1)
		return usage_error(list_usage, "realm list: unexpected argument '%s'",
				   argv[1]);
	nl = ctl_open();
	if (!nl)
		return EXIT_FAIL;
	if (json_output) {
		j = &json;
		if (!json_init_buffered(j)) {
			relay_nl_close(nl);
			fprintf(stderr, "%s: realm list: out of memory\n", PROG_NAME);
			return EXIT_FAIL;
		}
		json_array_open(j, NULL);
	}
	if (relay_nl_realm_dump(nl, list_one, j) < 0)
		status = ctl_fail(nl, "realm list");
	else if (j)
		json_array_close(j);
	if (j)
		json_commit(j, stdout, status == EXIT_OK);
	relay_nl_close(nl);
	return status;
}

int realm_main(int argc, char *argv[])
{
	static const struct ctl_op ops[] = {
		{ "add", realm_add, add_usage },
		{ "del", realm_del, del_usage },
		{ "list", realm_list, list_usage },
	};

	return ctl_dispatch("realm", realm_usage, "add, del, list", ops,
			    sizeof(ops) / sizeof(ops[0]), argc, argv);
}

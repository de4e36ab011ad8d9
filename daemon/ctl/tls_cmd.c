// SPDX-License-Identifier: GPL-2.0 OR MIT
/* srtprelayctl tls csr|import|show|list|verify: which file runs each. */
#include "subcommands.h"
#include "tls.h"

static const char tls_usage[] =
	"tls { csr | import | show | list | verify } ... (tls CMD --help for each)";

int tls_main(int argc, char *argv[])
{
	/* Each tls command prints its own --help. */
	static const struct ctl_op ops[] = {
		{ "csr", tls_csr_main, NULL },
		{ "import", tls_import_main, NULL },
		{ "show", tls_show_main, NULL },
		{ "list", tls_list_main, NULL },
		{ "verify", tls_verify_main, NULL },
	};

	return ctl_dispatch("tls", tls_usage, "csr, import, show, list, verify",
			    ops, sizeof(ops) / sizeof(ops[0]), argc, argv);
}

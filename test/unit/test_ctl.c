// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl as an operator meets it, on a host without srtprelay.ko:
 * every malformed command line is a usage error (exit 2, a Usage: line on
 * stderr, nothing sent to the kernel), keys are never echoed, and every
 * well-formed command fails with exit 1 and the clear "module is not
 * loaded" message, since the generic netlink family really is absent here.
 * The binary is build/srtprelayctl beside build/test/, or $SRTPRELAYCTL.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay_netlink.h"
#include "testing.h"

#define MAX_ARGS 48
#define OUT_MAX 16384

/* base64 of the 30 bytes "0123456789abcdef01234567890123" */
#define KEY "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODkwMTIz"
/* base64 of 16 bytes: a master key without its salt */
#define SHORT_KEY "MDEyMzQ1Njc4OWFiY2RlZg=="
#define NOT_LOADED "srtprelay kernel module is not loaded (generic netlink family 'srtprelay' not found)"

static char ctl_path[PATH_MAX];
static bool module_present;

struct result {
	int status;		/* exit status, or -1 if it died */
	char out[OUT_MAX];
	char err[OUT_MAX];
};

static void read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
}

static int temp_fd(void)
{
	char name[] = "/tmp/test_ctl.XXXXXX";
	int fd = mkstemp(name);

	if (fd >= 0)
		unlink(name);
	return fd;
}

/* Runs srtprelayctl with the NULL-terminated @args. */
static void run(struct result *r, const char *const *args)
{
	char *argv[MAX_ARGS + 2];
	int out = temp_fd(), err = temp_fd(), status, i;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	argv[0] = ctl_path;
	for (i = 0; args[i] && i < MAX_ARGS; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(out, 1);
		dup2(err, 2);
		execv(ctl_path, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return;
	read_all(out, r->out, sizeof(r->out));
	read_all(err, r->err, sizeof(r->err));
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A usage error: exit 2, @why and a Usage: line on stderr, no stdout. */
static void expect_usage(const char *const *args, const char *why)
{
	struct result r;

	run(&r, args);
	CHECK(r.status == 2, "exit %d, want 2; stderr: %s", r.status, r.err);
	CHECK(strstr(r.err, why), "stderr lacks '%s': %s", why, r.err);
	CHECK(strstr(r.err, "Usage: srtprelayctl"), "no usage: %s", r.err);
	CHECK(!strstr(r.err, KEY), "the key was printed: %s", r.err);
	CHECK(r.out[0] == '\0', "stdout not empty: %s", r.out);
}

/* A valid command: it must reach the kernel and fail there (exit 1). */
static void expect_not_loaded(const char *const *args)
{
	struct result r;

	if (module_present)
		return;
	run(&r, args);
	CHECK(r.status == 1, "exit %d, want 1; stderr: %s", r.status, r.err);
	CHECK(strstr(r.err, NOT_LOADED), "stderr: %s", r.err);
	CHECK(!strstr(r.err, "Usage:"), "usage printed for a valid command: %s",
	      r.err);
	CHECK(!strstr(r.err, KEY) && !strstr(r.out, KEY), "key printed");
	CHECK(r.out[0] == '\0', "stdout not empty: %s", r.out);
}

static void global_usage_errors_exit_2(void)
{
	struct result r;

	run(&r, ARGS(NULL));
	CHECK(r.status == 2 && strstr(r.err, "no subcommand"),
	      "no arguments: exit %d: %s", r.status, r.err);
	expect_usage(ARGS("frobnicate"), "invalid subcommand 'frobnicate'");
	run(&r, ARGS("-x", "show"));
	CHECK(r.status == 2 && strstr(r.err, "unknown option '-x'"),
	      "unknown option: exit %d: %s", r.status, r.err);
	expect_usage(ARGS("show", "extra"), "unexpected argument 'extra'");
	expect_usage(ARGS("stats", "extra"), "unexpected argument 'extra'");
	expect_usage(ARGS("monitor", "extra"), "unexpected argument 'extra'");
	expect_usage(ARGS("realm"), "what to do?");
	expect_usage(ARGS("stream"), "what to do?");
	expect_usage(ARGS("stream", "move"), "unknown command 'move'");
}

static void help_and_version_exit_0(void)
{
	struct result r;

	run(&r, ARGS("--help"));
	CHECK(r.status == 0 && strstr(r.out, "Usage: srtprelayctl"),
	      "--help: exit %d: %s", r.status, r.out);
	run(&r, ARGS("-V"));
	CHECK(r.status == 0 && strstr(r.out, "srtprelayctl"), "-V: exit %d: %s",
	      r.status, r.out);
	run(&r, ARGS("stream", "add", "--help"));
	CHECK(r.status == 0 && strstr(r.out, "in-suite SUITE"),
	      "stream add --help: exit %d: %s", r.status, r.out);
	run(&r, ARGS("realm", "--help"));
	CHECK(r.status == 0 && strstr(r.out, "PORTMIN-PORTMAX"),
	      "realm --help: exit %d: %s", r.status, r.out);
}

static void realm_add_bad_arguments_exit_2(void)
{
	expect_usage(ARGS("realm", "add", "1", "10.0.1.999", "30000-30999"),
		     "'10.0.1.999' is not an IPv4 or IPv6 address");
	expect_usage(ARGS("realm", "add", "0", "10.0.1.1", "30000-30999"),
		     "ID '0'");
	expect_usage(ARGS("realm", "add", "x1", "10.0.1.1", "30000-30999"),
		     "ID 'x1'");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1", "30999-30000"),
		     "'30999-30000' is not a port range");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1", "0-10"),
		     "'0-10' is not a port range");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1", "30000-70000"),
		     "'30000-70000' is not a port range");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1", "30000"),
		     "'30000' is not a port range");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1", "1-2", "nfqueue", "-1"),
		     "nfqueue '-1'");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1", "1-2", "queue", "1"),
		     "unknown keyword 'queue'");
	expect_usage(ARGS("realm", "add", "1", "10.0.1.1"),
		     "wrong number of arguments");
	expect_usage(ARGS("realm", "del"), "wrong number of arguments");
	expect_usage(ARGS("realm", "del", "4294967296"), "ID '4294967296'");
	expect_usage(ARGS("realm", "list", "all"), "unexpected argument 'all'");
}

#define STREAM_OK "10.0.1.1:30000", "out-src", "10.0.2.1:40000", "out-dst", \
	"10.0.2.2:5000"

static void stream_add_bad_addresses_exit_2(void)
{
	expect_usage(ARGS("stream", "add", "10.0.1.1", "out-src", "10.0.2.1:1",
			  "out-dst", "10.0.2.2:1", "in-suite", "NONE",
			  "out-suite", "NONE"),
		     "LOCAL '10.0.1.1' is not ADDR:PORT");
	expect_usage(ARGS("stream", "add", "fd00::1:30000", "out-src",
			  "10.0.2.1:1", "out-dst", "10.0.2.2:1", "in-suite",
			  "NONE", "out-suite", "NONE"),
		     "LOCAL 'fd00::1:30000' is not ADDR:PORT");
	expect_usage(ARGS("stream", "add", "[10.0.1.1]:30000", "out-src",
			  "10.0.2.1:1", "out-dst", "10.0.2.2:1", "in-suite",
			  "NONE", "out-suite", "NONE"),
		     "LOCAL '[10.0.1.1]:30000'");
	expect_usage(ARGS("stream", "add", "10.0.1.1:0", "out-src",
			  "10.0.2.1:1", "out-dst", "10.0.2.2:1", "in-suite",
			  "NONE", "out-suite", "NONE"),
		     "LOCAL '10.0.1.1:0'");
	expect_usage(ARGS("stream", "add", "10.0.1.1:30000", "out-src",
			  "10.0.2.1:65536", "out-dst", "10.0.2.2:1",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "out-src '10.0.2.1:65536' is not ADDR:PORT");
	expect_usage(ARGS("stream", "add", "10.0.1.1:30000", "out-src",
			  "10.0.2.1:5", "out-dst", "[fd00::2:5000",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "out-dst '[fd00::2:5000' is not ADDR:PORT");
	expect_usage(ARGS("stream", "add", "10.0.1.1:30000", "out-src",
			  "10.0.2.1:5", "out-dst", "[fd00::2]:5000",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "out-src and out-dst must be of the same address family");
	expect_usage(ARGS("stream", "add", STREAM_OK, "remote", "host:5",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "remote 'host:5' is not ADDR:PORT");
}

static void stream_add_bad_crypto_exit_2(void)
{
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_81", "in-key", KEY,
			  "out-suite", "NONE"),
		     "unknown suite 'AES_CM_128_HMAC_SHA1_81'");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", SHORT_KEY,
			  "out-suite", "NONE"),
		     "in-key: not a key||salt of 28 to 46 bytes");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY "AAAA",
			  "out-suite", "NONE"),
		     "in-key is 33 bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
	/* A key of another suite's length: AES_256_CM needs 46 bytes. */
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_256_CM_HMAC_SHA1_80", "in-key", KEY,
			  "out-suite", "NONE"),
		     "in-key is 30 bytes, AES_256_CM_HMAC_SHA1_80 needs 46");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "out-suite", "AES_CM_128_HMAC_SHA1_32", "out-key",
			  "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODkwMT!z"),
		     "out-key: not base64");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY "|2^20|1:1",
			  "out-suite", "NONE"),
		     "in-key: give only the base64 key||salt");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "out-suite", "NONE"),
		     "in-suite AES_CM_128_HMAC_SHA1_80 needs in-key");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "in-key", KEY, "out-suite", "NONE"),
		     "in-suite NONE takes no in-key");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "out-suite", "NONE", "out-roc", "5"),
		     "out-suite NONE takes no out-roc");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE"),
		     "out-suite is required");
	expect_usage(ARGS("stream", "add", STREAM_OK, "out-suite", "NONE"),
		     "in-suite is required");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY, "in-window",
			  "32", "out-suite", "NONE"),
		     "in-window '32' is not a replay window of 64..1024");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY, "in-mki",
			  "256:1", "out-suite", "NONE"),
		     "in-mki '256:1'");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY, "in-mki",
			  "1:5", "out-suite", "NONE"),
		     "in-mki '1:5'");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY, "in-seq",
			  "65536", "out-suite", "NONE"),
		     "in-seq '65536'");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite",
			  "AES_CM_128_HMAC_SHA1_80", "in-key", KEY, "in-param",
			  "FEC_ORDER", "out-suite", "NONE"),
		     "in-param 'FEC_ORDER'");
}

static void stream_add_bad_keywords_exit_2(void)
{
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "out-suite", "NONE", "jitter"),
		     "unknown keyword 'jitter'");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "out-suite", "NONE", "cookie"),
		     "'cookie' needs a value");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "out-suite", "NONE", "cookie", "-1"),
		     "cookie '-1'");
	expect_usage(ARGS("stream", "add", STREAM_OK, "in-suite", "NONE",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "'in-suite' given twice");
	expect_usage(ARGS("stream", "add", "10.0.1.1:30000", "out-dst",
			  "10.0.2.2:5000", "in-suite", "NONE", "out-suite",
			  "NONE"),
		     "out-src is required");
	expect_usage(ARGS("stream", "add", STREAM_OK, "latch", "lock-on-sdp",
			  "remote", "10.0.3.3:4000", "in-suite", "NONE",
			  "out-suite", "NONE"),
		     "latch and lock-on-sdp exclude each other");
	expect_usage(ARGS("stream", "add", STREAM_OK, "lock-on-sdp",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "lock-on-sdp needs remote");
	expect_usage(ARGS("stream", "add", STREAM_OK, "hold", "no-hold",
			  "in-suite", "NONE", "out-suite", "NONE"),
		     "'hold' given twice");
}

static void stream_other_bad_arguments_exit_2(void)
{
	expect_usage(ARGS("stream", "set", "10.0.1.1:30000"),
		     "nothing to change");
	expect_usage(ARGS("stream", "set", "10.0.1.1:30000", "in-key", KEY),
		     "in-key needs in-suite");
	expect_usage(ARGS("stream", "set", "10.0.1.1:30000", "out-window",
			  "128"),
		     "out-window needs out-suite");
	expect_usage(ARGS("stream", "set", "10.0.1.1:30000", "no-cookie"),
		     "unknown keyword 'no-cookie'");
	expect_usage(ARGS("stream", "del"), "wrong number of arguments");
	expect_usage(ARGS("stream", "del", "10.0.1.1"), "LOCAL '10.0.1.1'");
	expect_usage(ARGS("stream", "get", "10.0.1.1:1", "extra"),
		     "wrong number of arguments");
	expect_usage(ARGS("stream", "flush", "cookie"),
		     "wrong number of arguments");
	expect_usage(ARGS("stream", "flush", "cookie", "0x"), "cookie '0x'");
	expect_usage(ARGS("stream", "flush", "all", "1"),
		     "unknown keyword 'all'");
}

static void valid_commands_report_module_not_loaded_exit_1(void)
{
	expect_not_loaded(ARGS("show"));
	expect_not_loaded(ARGS("-j", "show"));
	expect_not_loaded(ARGS("stats"));
	expect_not_loaded(ARGS("monitor"));
	expect_not_loaded(ARGS("realm", "list"));
	expect_not_loaded(ARGS("realm", "add", "1", "10.0.1.1", "30000-30999"));
	expect_not_loaded(ARGS("realm", "add", "2", "[fd00:1::1]", "1024-2047",
			       "nfqueue", "7"));
	expect_not_loaded(ARGS("realm", "add", "3", "fd00:2::1", "1024-1024"));
	expect_not_loaded(ARGS("realm", "del", "1"));
	expect_not_loaded(ARGS("stream", "add", STREAM_OK,
			       "out-rtcp-dst", "10.0.2.2:5001",
			       "remote", "10.0.3.3:4000", "latch",
			       "rtcp-mux-in", "rtcp-mux-out", "hold",
			       "cookie", "18446744073709551615",
			       "in-suite", "AES_CM_128_HMAC_SHA1_80",
			       "in-key", KEY, "in-mki", "1:1", "in-roc", "3",
			       "in-seq", "65535", "in-window", "1024",
			       "out-suite", "AES_CM_128_HMAC_SHA1_32",
			       "out-key", KEY, "out-mki", "4294967295:4",
			       "out-roc", "0", "out-seq", "0",
			       "out-window", "64"));
	expect_not_loaded(ARGS("stream", "add", "[fd00:1::1]:30000",
			       "out-src", "[fd00:1::1]:40000",
			       "out-dst", "[fd00:2::2]:5000", "lock-on-sdp",
			       "remote", "[fd00:3::3]:4000",
			       "in-suite", "NONE", "out-suite", "NONE"));
	expect_not_loaded(ARGS("stream", "set", "10.0.1.1:30000", "hold"));
	expect_not_loaded(ARGS("stream", "set", "10.0.1.1:30000", "no-hold"));
	expect_not_loaded(ARGS("stream", "set", "10.0.1.1:30000", "in-suite",
			       "AES_CM_128_HMAC_SHA1_80", "in-key", KEY));
	expect_not_loaded(ARGS("stream", "del", "10.0.1.1:30000"));
	expect_not_loaded(ARGS("stream", "get", "[fd00:1::1]:30000"));
	expect_not_loaded(ARGS("stream", "list"));
	expect_not_loaded(ARGS("stream", "flush"));
	expect_not_loaded(ARGS("stream", "flush", "cookie", "0x2a"));
}

int main(int argc, char *argv[])
{
	struct relay_nl_err err;
	struct relay_nl *nl;
	char self[PATH_MAX];
	ssize_t n;

	/*
	 * The exit-1 checks are about the kernel module; a userspace datapath
	 * that happens to listen on this host must not answer them.
	 */
	setenv("SRTPRELAY_BACKEND", "kernel", 1);
	setenv("SRTPRELAY_SOCKET", "/nonexistent/srtprelay-test.sock", 1);
	if (getenv("SRTPRELAYCTL")) {
		snprintf(ctl_path, sizeof(ctl_path), "%s", getenv("SRTPRELAYCTL"));
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			perror("readlink /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		snprintf(ctl_path, sizeof(ctl_path), "%s/../srtprelayctl",
			 dirname(self));
	}
	if (access(ctl_path, X_OK)) {
		printf("cannot run %s: %s\n", ctl_path, strerror(errno));
		printf("0 passed, 1 failed\n");
		return 1;
	}
	nl = relay_nl_open(&err);
	module_present = nl != NULL;
	relay_nl_close(nl);
	if (module_present)
		printf("note: srtprelay is loaded here; the exit-1 checks are skipped\n");

	RUN(global_usage_errors_exit_2,
	    "no subcommand, unknown subcommand/option, stray arguments");
	RUN(help_and_version_exit_0, "--help, -V and per-subcommand --help");
	RUN(realm_add_bad_arguments_exit_2,
	    "bad realm id, address, port range, nfqueue");
	RUN(stream_add_bad_addresses_exit_2,
	    "LOCAL/out-src/out-dst/remote not ADDR:PORT, mixed families");
	RUN(stream_add_bad_crypto_exit_2,
	    "unknown suite, wrong key length, not base64, MKI, window, seq");
	RUN(stream_add_bad_keywords_exit_2,
	    "unknown/duplicate keywords, missing values and required parts");
	RUN(stream_other_bad_arguments_exit_2,
	    "stream set/del/get/flush argument errors");
	RUN(valid_commands_report_module_not_loaded_exit_1,
	    "well-formed commands reach netlink and say the module is missing");
	return testing_summary();
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * srtprelayctl's parsers and printers, compiled in (as wireguard-tools'
 * fuzzers include its sources): addresses, numbers, SDES keys and MKIs are
 * parsed exactly or refused; show/stream get print every counter under its
 * UAPI name, in JSON that Python's json module (an independent parser)
 * accepts; and no byte of key material ever reaches the output.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../daemon/ctl/args.c"
#include "../../daemon/ctl/json.c"
#include "../../daemon/ctl/show.c"
#include "testing.h"

/* What show.c needs from ctl.c; never called by these tests. */
const char *PROG_NAME = "srtprelayctl";
bool json_output;
bool is_help(const char *arg) { return false; }
int usage_error(const char *usage, const char *fmt, ...) { return EXIT_USAGE; }
int usage_help(const char *usage) { return EXIT_OK; }
struct relay_nl *ctl_open(void) { return NULL; }
int ctl_fail(const struct relay_nl *nl, const char *fmt, ...) { return EXIT_FAIL; }

#define OUT_MAX 16384

static void numbers_are_strict(void)
{
	uint64_t v;
	uint32_t u32;
	uint16_t u16;

	CHECK(parse_u64("0x2a", UINT64_MAX, &v) && v == 42, "0x2a");
	CHECK(parse_u64("18446744073709551615", UINT64_MAX, &v) &&
	      v == UINT64_MAX, "u64 max");
	CHECK(!parse_u64("18446744073709551616", UINT64_MAX, &v), "u64 overflow");
	CHECK(!parse_u64("+1", UINT64_MAX, &v) && !parse_u64("-1", UINT64_MAX, &v) &&
	      !parse_u64(" 1", UINT64_MAX, &v) && !parse_u64("1 ", UINT64_MAX, &v) &&
	      !parse_u64("", UINT64_MAX, &v) && !parse_u64("0x", UINT64_MAX, &v) &&
	      !parse_u64("0x0x1", UINT64_MAX, &v) && !parse_u64("1e3", UINT64_MAX, &v),
	      "signs, spaces, empty, double prefix, exponent");
	CHECK(parse_u32("4294967295", &u32) && u32 == UINT32_MAX &&
	      !parse_u32("4294967296", &u32), "u32 bounds");
	CHECK(parse_u16("65535", &u16) && u16 == 65535 && !parse_u16("65536", &u16),
	      "u16 bounds");
}

static void endpoints_parse_and_print_back(void)
{
	static const char *const good[] = {
		"10.0.1.1:30000", "[fd00:1::1]:30000", "[::1]:1",
		"255.255.255.255:65535",
	};
	static const char *const bad[] = {
		"10.0.1.1", "10.0.1.1:", "10.0.1.1:0", "10.0.1.1:65536",
		"10.0.1.1:30000x", "fd00::1:30000", "[fd00::1]30000",
		"[fd00::1]", "[10.0.1.1]:5", "10.0.1:5", "host:5", ":5",
		"[fd00::1%]:5", "[]:5", "10.0.1.1:-5", "10.0.1.1: 5",
	};
	struct sockaddr_storage ss;
	char buf[ENDPOINT_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK(parse_endpoint(good[i], &ss), "'%s' refused", good[i]);
		CHECK(!strcmp(format_endpoint(&ss, buf, sizeof(buf)), good[i]),
		      "'%s' printed as '%s'", good[i], buf);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!parse_endpoint(bad[i], &ss), "'%s' accepted", bad[i]);
	CHECK(parse_endpoint("[fe80::1%1]:5", &ss) &&
	      ((struct sockaddr_in6 *)&ss)->sin6_scope_id == 1 &&
	      !strcmp(format_endpoint(&ss, buf, sizeof(buf)), "[fe80::1%1]:5"),
	      "scope id: '%s'", buf);
	CHECK(parse_address("fd00::1", &ss) && parse_address("[fd00::1]", &ss) &&
	      parse_address("10.0.1.1", &ss) && !parse_address("10.0.1.1:5", &ss) &&
	      !parse_address("[10.0.1.1]", &ss), "bare addresses");
}

static void port_ranges_are_checked(void)
{
	uint16_t lo, hi;

	CHECK(parse_port_range("30000-30999", &lo, &hi) && lo == 30000 &&
	      hi == 30999, "range");
	CHECK(parse_port_range("5-5", &lo, &hi), "single port range");
	CHECK(!parse_port_range("0-5", &lo, &hi) &&
	      !parse_port_range("6-5", &lo, &hi) &&
	      !parse_port_range("5", &lo, &hi) &&
	      !parse_port_range("5-", &lo, &hi) &&
	      !parse_port_range("-5", &lo, &hi) &&
	      !parse_port_range("1-65536", &lo, &hi), "bad ranges");
}

static void sdes_keys_are_28_to_46_bytes(void)
{
	/* "0123456789abcdef" || "01234567890123" */
	const char *good = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODkwMTIz";
	/* 46 bytes: "0123456789abcdef0123456789abcdef" || "01234567890123" */
	const char *aes256 =
		"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5MDEyMw";
	/* (that is 62 characters: 46 bytes without the "==" padding) */
	uint8_t out[CTL_KEY_SALT_MAX], len = 0;
	const char *why = NULL;
	char padded[80];

	CHECK(parse_key(good, out, &len, &why) && len == 30, "30 bytes: %s",
	      why);
	CHECK(!memcmp(out, "0123456789abcdef01234567890123", 30), "decoded");
	CHECK(parse_key(aes256, out, &len, &why) && len == 46,
	      "46 bytes unpadded");
	snprintf(padded, sizeof(padded), "%s==", aes256);
	CHECK(parse_key(padded, out, &len, &why) && len == 46 &&
	      !memcmp(out + 32, "01234567890123", 14), "46 bytes padded");
	CHECK(!parse_key("MDEyMzQ1Njc4OWFiY2RlZg==", out, &len, &why) &&
	      strstr(why, "28 to 46"), "16 bytes");
	snprintf(padded, sizeof(padded), "%sAAAA", aes256);
	CHECK(!parse_key(padded, out, &len, &why), "49 bytes");
	CHECK(!parse_key("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODkwMTIz=", out, &len,
			 &why), "padding after a full group");
	CHECK(!parse_key("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODkwMT*z", out, &len,
			 &why) && !strcmp(why, "not base64"), "bad character");
	CHECK(!parse_key("MDEy=MzQ1", out, &len, &why), "padding inside");
	CHECK(!parse_key("", out, &len, &why), "empty");
}

static void mkis_are_value_colon_length(void)
{
	uint8_t mki[4], len;

	CHECK(parse_mki("1:1", mki, &len) && len == 1 && mki[0] == 1, "1:1");
	CHECK(parse_mki("258:2", mki, &len) && len == 2 && mki[0] == 1 &&
	      mki[1] == 2, "258:2 big-endian");
	CHECK(parse_mki("4294967295:4", mki, &len) && len == 4 &&
	      mki[0] == 0xff && mki[3] == 0xff, "max");
	CHECK(parse_mki("0:3", mki, &len) && len == 3 && !mki[0] && !mki[2],
	      "zero");
	CHECK(!parse_mki("256:1", mki, &len) && !parse_mki("1:0", mki, &len) &&
	      !parse_mki("1:5", mki, &len) && !parse_mki("1", mki, &len) &&
	      !parse_mki(":1", mki, &len) && !parse_mki("1:", mki, &len),
	      "bad MKIs");
}

/* Runs @print with stdout sent to a buffer. */
static void capture(void (*print)(const struct relay_nl_stream *),
		    const struct relay_nl_stream *s, char *out, size_t size)
{
	FILE *tmp = tmpfile();
	int saved = dup(1);
	size_t n;

	fflush(stdout);
	dup2(fileno(tmp), 1);
	print(s);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, size - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

static void print_text(const struct relay_nl_stream *s)
{
	print_stream(NULL, s);
}

static void print_json(const struct relay_nl_stream *s)
{
	struct json j;

	json_init(&j, stdout);
	print_stream(&j, s);
	json_end(&j);
}

static void dumped_stream(struct relay_nl_stream *s)
{
	memset(s, 0, sizeof(*s));
	parse_endpoint("10.0.1.1:30000", &s->local);
	parse_endpoint("10.0.3.3:4002", &s->latched);
	parse_endpoint("10.0.1.1:30002", &s->out_src);
	parse_endpoint("10.0.2.2:5000", &s->out_dst);
	parse_endpoint("10.0.2.2:5001", &s->out_rtcp_dst);
	s->has = RELAY_NL_HAS_LATCHED | RELAY_NL_HAS_OUT_SRC |
		 RELAY_NL_HAS_OUT_DST | RELAY_NL_HAS_OUT_RTCP_DST |
		 RELAY_NL_HAS_FLAGS | RELAY_NL_HAS_COOKIE |
		 RELAY_NL_HAS_IN_CRYPTO | RELAY_NL_HAS_OUT_CRYPTO |
		 RELAY_NL_HAS_STATS | RELAY_NL_HAS_LAST_RX;
	s->flags = SRTPRELAY_STREAM_F_LATCH | SRTPRELAY_STREAM_F_LOCK_ON_SDP;
	s->cookie = 7;
	s->in.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_80;
	s->in.mki_len = 1;
	s->in.replay_window = 128;
	s->out.suite = SRTPRELAY_SUITE_AES_CM_128_HMAC_SHA1_32;
	s->out.flags = SRTPRELAY_CRYPTO_F_UNENCRYPTED_SRTCP;
	/* Never returned by the kernel; planted to prove it is not printed. */
	memset(s->in.key, 0x4b, sizeof(s->in.key));
	memset(s->in.salt, 0x4b, sizeof(s->in.salt));
	for (unsigned int i = 0; i < SRTPRELAY_STAT_COUNT; i++)
		s->stats[i] = 100 + i;
	s->last_rx_age_ms = 20;
}

/* Python's json module as the independent judge of our JSON. */
static int python_check(const char *json, const char *program)
{
	char path[] = "/tmp/test_ctl_output.XXXXXX";
	int fd = mkstemp(path), status;
	char cmd[1024];

	if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json))
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c '%s' < %s", program, path);
	status = system(cmd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void stream_json_parses_with_uapi_counter_names(void)
{
	struct relay_nl_stream s;
	char out[OUT_MAX];
	int ret;

	dumped_stream(&s);
	capture(print_json, &s, out, sizeof(out));
	if (system("python3 -c pass 2>/dev/null") != 0) {
		printf("    python3 missing: JSON checked by hand only\n");
		CHECK(out[0] == '{' && strstr(out, "\"rx_packets\":100"), "%s", out);
		return;
	}
	ret = python_check(out,
		"import json, sys\n"
		"s = json.load(sys.stdin)\n"
		"names = [\"rx_packets\", \"rx_bytes\", \"tx_packets\", \"tx_bytes\",\n"
		"  \"rtcp_rx_packets\", \"rtcp_tx_packets\", \"auth_failed\", \"replayed\",\n"
		"  \"too_old\", \"mki_mismatch\", \"malformed\", \"source_rejected\", \"held\",\n"
		"  \"ssrc_changes\", \"roc_changes\", \"tx_errors\", \"punted\", \"fragments\"]\n"
		"assert [s[\"stats\"][n] for n in names] == list(range(100, 118)), s\n"
		"assert s[\"local\"] == \"10.0.1.1:30000\" and s[\"remote\"] is None\n"
		"assert s[\"latched\"] == \"10.0.3.3:4002\" and s[\"cookie\"] == 7\n"
		"assert s[\"flags\"] == [\"latch\", \"lock_on_sdp\"]\n"
		"assert s[\"in\"] == {\"suite\": \"AES_CM_128_HMAC_SHA1_80\", \"mki_len\": 1,\n"
		"  \"replay_window\": 128, \"flags\": []}, s[\"in\"]\n"
		"assert s[\"out\"][\"flags\"] == [\"unencrypted_srtcp\"]\n"
		"assert s[\"last_rx_age_ms\"] == 20\n");
	CHECK(ret == 0, "python3 rejected: %s", out);
	CHECK(!strstr(out, "S0tL") && !strstr(out, "4b4b") && !strstr(out, "KKKK"),
	      "key material printed: %s", out);
}

static void stream_text_shows_what_operators_need(void)
{
	struct relay_nl_stream s;
	char out[OUT_MAX];

	dumped_stream(&s);
	capture(print_text, &s, out, sizeof(out));
	CHECK(strstr(out, "stream 10.0.1.1:30000\n"), "%s", out);
	CHECK(strstr(out, "  latched: 10.0.3.3:4002\n"), "%s", out);
	CHECK(strstr(out, "  send: 10.0.1.1:30002 -> 10.0.2.2:5000, rtcp -> 10.0.2.2:5001\n"),
	      "%s", out);
	CHECK(strstr(out, "  flags: latch lock-on-sdp\n"), "%s", out);
	CHECK(strstr(out, "  in crypto: AES_CM_128_HMAC_SHA1_80, mki 1 byte, replay window 128\n"),
	      "%s", out);
	CHECK(strstr(out, "  out crypto: AES_CM_128_HMAC_SHA1_32, no mki, unencrypted-srtcp\n"),
	      "%s", out);
	CHECK(strstr(out, "  rx: 100 packets, 101 bytes, 104 rtcp\n"), "%s", out);
	CHECK(strstr(out, "auth_failed 106, replayed 107"), "%s", out);
	CHECK(strstr(out, "  last packet: 0.020 s ago\n"), "%s", out);
	CHECK(!strstr(out, "S0tL") && !strstr(out, "4b4b") && !strstr(out, "KKKK"),
	      "key material printed: %s", out);

	s.has &= ~(uint32_t)RELAY_NL_HAS_LAST_RX;
	capture(print_text, &s, out, sizeof(out));
	CHECK(strstr(out, "  last packet: never\n"), "%s", out);
}

static void json_strings_are_escaped(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct json j;

	json_init(&j, f);
	json_object_open(&j, NULL);
	json_string(&j, "a\"b", "line\nq\"\\\x01");
	json_array_open(&j, "e");
	json_array_close(&j);
	json_null(&j, "n");
	json_object_close(&j);
	json_end(&j);
	fclose(f);
	CHECK(!strcmp(buf, "{\"a\\\"b\":\"line\\nq\\\"\\\\\\u0001\",\"e\":[],\"n\":null}\n"),
	      "got %s", buf);
	free(buf);
}

static void failed_dump_prints_no_half_document(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct json j;

	CHECK(json_init_buffered(&j), "no memstream");
	json_array_open(&j, NULL);
	json_u64(&j, NULL, 1);
	json_commit(&j, out, false);
	fflush(out);
	CHECK(size == 0, "printed '%s' for a failed dump", buf);

	CHECK(json_init_buffered(&j), "no memstream");
	json_array_open(&j, NULL);
	json_u64(&j, NULL, 1);
	json_array_close(&j);
	json_commit(&j, out, true);
	fclose(out);
	CHECK(!strcmp(buf, "[1]\n"), "got '%s'", buf);
	free(buf);
}

int main(void)
{
	RUN(numbers_are_strict, "no signs, spaces, overflow or stray text");
	RUN(endpoints_parse_and_print_back,
	    "10.0.1.1:30000 and [fd00::1]:30000 forms, and what is refused");
	RUN(port_ranges_are_checked, "PORTMIN-PORTMAX, 1 <= min <= max");
	RUN(sdes_keys_are_28_to_46_bytes,
	    "inline key: 28 to 46 bytes of base64, padding optional but whole");
	RUN(mkis_are_value_colon_length, "RFC 4568 VALUE:LEN, big-endian");
	RUN(stream_json_parses_with_uapi_counter_names,
	    "stream JSON parses in Python, counters named as the UAPI enum");
	RUN(stream_text_shows_what_operators_need,
	    "text: addresses, flags, suites, MKI, counters, last packet");
	RUN(json_strings_are_escaped, "RFC 8259 escaping, empty array, null");
	RUN(failed_dump_prints_no_half_document,
	    "-j output is held back until the dump completed");
	return testing_summary();
}

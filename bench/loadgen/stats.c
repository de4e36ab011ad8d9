// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * loadgen: what a step measured. CPU time from /proc/stat, /proc/PID/stat
 * and getrusage; latency percentiles from the receiver's histogram; and
 * the step's line on stdout and row in the CSV.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "loadgen.h"

/*
 * The CPU time a host thread ran, in ns (the first field of its
 * schedstat): a QEMU vCPU thread's is what its guest's vCPU took, the
 * work the guest did from idle included. The guest's own /proc/stat misses
 * that work: a tickless idle CPU that wakes for a packet, relays it and
 * sleeps again takes no tick for it. In bench/vm.sh's guest it showed 10 %
 * busy while its vCPU thread ran 50-69 % of a host core.
 */
static u64 thread_run_ns(long tid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", tid);
	f = fopen(path, "r");
	if (!f)
		die("--relay-thread %ld: %s: %s", tid, path, strerror(errno));
	if (fscanf(f, "%llu", &ns) != 1)
		die("--relay-thread %ld: %s: no run time", tid, path);
	fclose(f);
	return ns;
}

void cpu_sample(struct cpu_sample *sample)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");
	struct rusage ru;

	memset(sample, 0, sizeof(*sample));
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long long v[10] = { 0 };
		int cpu;

		if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &cpu,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 9)
			continue;
		for (int which = 0; which < 2; which++) {
			if (cpu != (which ? opt.gen_cpu : opt.relay_cpu))
				continue;
			for (int k = 0; k < 8; k++)
				sample->total[which] += v[k];
			sample->busy[which] = sample->total[which] - v[3] - v[4];
			if (!which)
				sample->irq = v[5] + v[6];
		}
	}
	if (f)
		fclose(f);
	if (opt.relay_stat_from_setup)
		setup_cpu_stat(&sample->guest_busy, &sample->guest_total);
	sample->wall = clock_ns(CLOCK_MONOTONIC);
	if (opt.relay_thread > 0) {
		sample->busy[0] = thread_run_ns(opt.relay_thread);
		sample->total[0] = sample->wall;
		sample->irq = 0;
	} else if (opt.relay_stat_from_setup) {
		sample->busy[0] = sample->guest_busy;
		sample->total[0] = sample->guest_total;
	}
	if (opt.relay_pid > 0) {
		char path[64], buf[2048], *p;
		unsigned long long ut = 0, st = 0;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "/proc/%ld/stat", opt.relay_pid);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			p = strrchr(buf, ')');
			/* fields 14 and 15 after the comm's closing paren */
			if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
					&ut, &st) == 2)
				sample->relay_proc = ut + st;
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	sample->self_ns = (u64)ru.ru_utime.tv_sec * 1000000000ULL +
			  (u64)ru.ru_utime.tv_usec * 1000 +
			  (u64)ru.ru_stime.tv_sec * 1000000000ULL +
			  (u64)ru.ru_stime.tv_usec * 1000;
}

static double percentile(u64 total, double q)
{
	u64 want = (u64)(total * q), sum = 0;

	if ((double)want < total * q)
		want++;

	if (!total)
		return -1;
	for (unsigned int us = 0; us <= HIST_US; us++) {
		sum += hist[us];
		if (sum >= want)
			return us;
	}
	return HIST_US;
}

/* Loss, latency percentiles and CPU use of the step that just ran. */
void step_result_fill(struct step_result *r, unsigned int calls,
		      const struct cpu_sample *before,
		      const struct cpu_sample *after)
{
	u64 total_rx;
	double secs, busy_ns;

	memset(r, 0, sizeof(*r));
	r->calls = calls;
	r->c = rx_count;
	r->sent = nslots;
	total_rx = 0;
	for (u64 i = 0; i < nslots; i++)
		total_rx += received[i];
	r->lost = nslots - total_rx;
	r->loss = nslots ? (double)r->lost / (double)nslots : 0;
	r->p50 = percentile(total_rx, 0.50);
	r->p99 = percentile(total_rx, 0.99);
	r->p999 = percentile(total_rx, 0.999);
	secs = (after->wall - before->wall) / 1e9;
	r->seconds = secs;
	r->pps = total_rx / secs;
	r->relay_cpu = 100.0 * (after->busy[0] - before->busy[0]) /
		       (double)(after->total[0] - before->total[0] ? after->total[0] - before->total[0] : 1);
	r->gen_core_cpu = 100.0 * (after->busy[1] - before->busy[1]) /
			  (double)(after->total[1] - before->total[1] ? after->total[1] - before->total[1] : 1);
	r->relay_proc_cpu = -1;
	if (opt.relay_pid > 0)
		r->relay_proc_cpu = 100.0 * (after->relay_proc - before->relay_proc) /
				    sysconf(_SC_CLK_TCK) / secs;
	else if (opt.relay_thread > 0 && opt.relay_stat_from_setup &&
		 after->guest_total > before->guest_total)
		/* the guest's own view, beside its vCPU thread's */
		r->relay_proc_cpu = 100.0 * (after->guest_busy - before->guest_busy) /
				    (double)(after->guest_total - before->guest_total);
	/* The generator's CPU over the send window (receiver included). */
	r->gen_cpu = 100.0 * (after->self_ns - before->self_ns) / 1e9 / secs;
	/*
	 * What the relay cost. The core's busy time counts the neighbours too
	 * when the machine is shared; the relay process's time plus the core's
	 * interrupt time does not, but may count a tick twice (tick-based
	 * accounting charges a softirq tick to the task it interrupted as
	 * well). The smaller of the two is the closer bound. Without a relay
	 * process (kernel module), the core's busy time it is.
	 */
	busy_ns = r->relay_cpu / 100.0 * secs * 1e9;
	if (opt.relay_pid > 0) {
		double own = (double)(after->relay_proc - before->relay_proc +
				      after->irq - before->irq) /
			     sysconf(_SC_CLK_TCK) * 1e9;

		if (own < busy_ns)
			busy_ns = own;
	}
	r->relay_cost = 100.0 * busy_ns / (secs * 1e9);
	r->ns_per_packet = total_rx ? busy_ns / total_rx : -1;
	r->pass = r->loss < LOSS_LIMIT && r->p99 >= 0 && r->p99 < opt.p99_limit;
}

/* CSV columns, in the order print_step writes them. */
#define CSV_HEADER "system,mode,calls,pps,loss_pct,p50_us,p99_us,p999_us," \
	"relay_core_pct,relay_cost_pct,relay_proc_pct,ns_per_pkt,gen_core_pct," \
	"gen_pct,pass,sent,lost,bad,forged_sent,forged_delivered"

void print_step(const struct step_result *r)
{
	printf("  N=%-6u %s pps=%-7.0f loss=%.4f%% p50=%.0fus p99=%.0fus p99.9=%.0fus"
	       " relay: core=%.0f%% cost=%.0f%% proc=%.0f%% ns/pkt=%.0f;"
	       " generator: core=%.0f%% own=%.0f%%"
	       " [ok=%" PRIu64 "+%" PRIu64 " auth=%" PRIu64 " replay=%" PRIu64
	       " payload=%" PRIu64 " src=%" PRIu64 " reord=%" PRIu64 " dup=%" PRIu64
	       " stale=%" PRIu64 " forged=%" PRIu64 "/%u]\n",
	       r->calls, r->pass ? "pass" : "FAIL", r->pps, 100 * r->loss, r->p50,
	       r->p99, r->p999, r->relay_cpu, r->relay_cost, r->relay_proc_cpu,
	       r->ns_per_packet, r->gen_core_cpu, r->gen_cpu, r->c.ok, r->c.ok_rtcp,
	       r->c.auth_failed, r->c.replayed, r->c.bad_payload, r->c.bad_source,
	       r->c.reordered, r->c.duplicates, r->c.stale, r->c.forged, r->forged_sent);
	if (r->c.rtcp_from_rtp_port)
		printf("  N=%-6u relay bug: %" PRIu64 " RTCP packets came from its RTP port, not RTP port + 1\n",
		       r->calls, r->c.rtcp_from_rtp_port);
	fflush(stdout);
	if (opt.csv) {
		FILE *f = fopen(opt.csv, "a");

		if (!f)
			die("cannot append to %s: %s", opt.csv, strerror(errno));
		if (!ftell(f))
			fprintf(f, "%s\n", CSV_HEADER);
		fprintf(f, "%s,%u,%.0f,%.6f,%.0f,%.0f,%.0f,%.1f,%.1f,%.1f,%.0f,%.1f,%.1f,%d,%"
			PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64 "\n",
			opt.label, r->calls, r->pps, 100 * r->loss, r->p50, r->p99,
			r->p999, r->relay_cpu, r->relay_cost, r->relay_proc_cpu,
			r->ns_per_packet, r->gen_core_cpu, r->gen_cpu, r->pass, r->sent,
			r->lost, r->c.auth_failed + r->c.bad_payload + r->c.bad_source,
			r->forged_sent, r->c.forged);
		fclose(f);
	}
}

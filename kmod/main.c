// SPDX-License-Identifier: GPL-2.0
/*
 * srtprelay.ko: module load and unload, and the per-namespace setup that
 * ties realms, streams, counters and hooks together.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "crypto.h"
#include "hook.h"
#include "netlink.h"
#include "realm.h"
#include "srtprelay.h"
#include "stats.h"
#include "stream.h"

#include <linux/crypto.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/srtprelay.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

unsigned int srtprelay_net_id __read_mostly;
struct workqueue_struct *srtprelay_wq __read_mostly;

static int __net_init srtprelay_net_init(struct net *net)
{
	struct srtprelay_net *sn = srtprelay_pernet(net);
	int ret;

	sn->net = net;
	mutex_init(&sn->lock);
	INIT_LIST_HEAD(&sn->realms);
	sn->stats = srtprelay_stats_alloc();
	if (!sn->stats)
		return -ENOMEM;
	ret = srtprelay_stream_net_init(sn);
	if (ret)
		goto err_stats;
	/* Last: from here on packets may look at this namespace's state. */
	ret = srtprelay_hook_net_init(net);
	if (ret)
		goto err_streams;
	return 0;

err_streams:
	srtprelay_stream_net_exit(sn);
err_stats:
	srtprelay_stats_free(sn->stats);
	return ret;
}

static void __net_exit srtprelay_net_exit(struct net *net)
{
	struct srtprelay_net *sn = srtprelay_pernet(net);

	/* Waits until no CPU is in our hooks, so nothing reads what follows. */
	srtprelay_hook_net_exit(net);
	srtprelay_stream_net_exit(sn);
	srtprelay_realm_flush(sn);
	srtprelay_stats_free(sn->stats);
}

static struct pernet_operations srtprelay_net_ops = {
	.init = srtprelay_net_init,
	.exit = srtprelay_net_exit,
	.id = &srtprelay_net_id,
	.size = sizeof(struct srtprelay_net),
};

static int __init srtprelay_init(void)
{
	struct srtprelay_crypto_drivers drivers;
	int ret;

	ret = srtprelay_crypto_init(&drivers);
	if (ret) {
		pr_err("crypto self-test failed, or gcm(aes) unavailable: %d\n", ret);
		return ret;
	}
	ret = srtprelay_stream_cache_init();
	if (ret)
		goto err_crypto;
	srtprelay_wq = alloc_workqueue(KBUILD_MODNAME, 0, 0);
	if (!srtprelay_wq) {
		ret = -ENOMEM;
		goto err_cache;
	}
	ret = register_pernet_subsys(&srtprelay_net_ops);
	if (ret)
		goto err_wq;
	ret = srtprelay_genl_init();
	if (ret)
		goto err_pernet;
	pr_info("loaded, genl family %s v%d, ctr(aes) on %s, hmac(sha1) on %s, aead %s\n",
		SRTPRELAY_GENL_NAME, SRTPRELAY_GENL_VERSION, drivers.cipher,
		drivers.mac, drivers.aead);
	return 0;

err_pernet:
	unregister_pernet_subsys(&srtprelay_net_ops);
err_wq:
	rcu_barrier();
	destroy_workqueue(srtprelay_wq);
err_cache:
	srtprelay_stream_cache_exit();
err_crypto:
	srtprelay_crypto_exit();
	return ret;
}

static void __exit srtprelay_exit(void)
{
	/* No new commands or events first, then no packets (each namespace's
	 * exit unregisters its hooks and waits for them), then wait for the
	 * grace periods that free streams and let the frees run.
	 */
	srtprelay_genl_exit();
	unregister_pernet_subsys(&srtprelay_net_ops);
	rcu_barrier();
	destroy_workqueue(srtprelay_wq);
	srtprelay_stream_cache_exit();
	srtprelay_crypto_exit();
	pr_info("unloaded\n");
}

module_init(srtprelay_init);
module_exit(srtprelay_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SRTP media relay: RTP forwarding and SRTP re-keying in netfilter");
MODULE_AUTHOR("srtprelay developers");
MODULE_ALIAS_GENL_FAMILY(SRTPRELAY_GENL_NAME);
MODULE_SOFTDEP("pre: ctr aesni-intel sha1-ssse3 gcm ghash-generic");

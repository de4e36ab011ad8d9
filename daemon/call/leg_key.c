// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A call's SDES keys, one key per line: see leg_key.h. */
#include <string.h>
#include <openssl/crypto.h>

#include "call/leg_key.h"

void leg_key_from_sdes(struct leg_key *k, const struct sdes_crypto *c)
{
	leg_key_wipe(k);
	if (!c->n_keys)
		return;
	k->set = true;
	k->has_kdr = c->has_kdr;
	k->fec_keys = c->n_fec_keys != 0;
	k->kdr = c->kdr;
	k->fec_order = c->fec_order;
	k->tag = c->tag;
	k->suite = c->suite;
	k->flags = c->flags;
	k->wsh = c->wsh;
	k->key = c->keys[0];
}

void leg_key_to_sdes(const struct leg_key *k, struct sdes_crypto *c)
{
	const char *name = sdes_suite_name(k->suite);

	memset(c, 0, sizeof(*c));
	if (!k->set)
		return;
	c->tag = k->tag;
	c->suite = k->suite;
	if (name)
		strcpy(c->suite_name, name);
	c->n_keys = 1;
	c->keys[0] = k->key;
	c->flags = k->flags;
	c->has_kdr = k->has_kdr;
	c->kdr = k->kdr;
	c->fec_order = k->fec_order;
	c->wsh = k->wsh;
}

void leg_key_wipe(struct leg_key *k)
{
	explicit_bzero(k, sizeof(*k));
}

bool leg_key_equal(const struct leg_key *a, const struct leg_key *b)
{
	const struct sdes_key *ka = &a->key, *kb = &b->key;

	return a->set == b->set && a->has_kdr == b->has_kdr &&
	       a->fec_keys == b->fec_keys && a->kdr == b->kdr &&
	       a->fec_order == b->fec_order && a->tag == b->tag &&
	       a->suite == b->suite && a->flags == b->flags && a->wsh == b->wsh &&
	       ka->key_salt_len == kb->key_salt_len &&
	       ka->lifetime_form == kb->lifetime_form &&
	       ka->lifetime == kb->lifetime && ka->mki_len == kb->mki_len &&
	       ka->mki == kb->mki &&
	       !CRYPTO_memcmp(ka->key_salt, kb->key_salt, sizeof(ka->key_salt));
}

int leg_key_generate(struct leg_key *k, uint32_t tag, enum sdes_suite suite)
{
	struct sdes_crypto c;
	int rc = sdes_generate(&c, tag, suite);

	leg_key_wipe(k);
	if (rc == SDES_OK)
		leg_key_from_sdes(k, &c);
	sdes_crypto_wipe(&c);
	return rc;
}

int leg_key_answer(const struct leg_key *offer, struct leg_key *answer)
{
	struct sdes_crypto o, a;
	int rc;

	leg_key_to_sdes(offer, &o);
	rc = sdes_answer(&o, &a);
	leg_key_wipe(answer);
	if (rc == SDES_OK)
		leg_key_from_sdes(answer, &a);
	sdes_crypto_wipe(&o);
	sdes_crypto_wipe(&a);
	return rc;
}

int leg_key_format(const struct leg_key *k, char *buf, size_t size)
{
	struct sdes_crypto c;
	int rc;

	leg_key_to_sdes(k, &c);
	rc = sdes_format(&c, buf, size);
	sdes_crypto_wipe(&c);
	return rc;
}

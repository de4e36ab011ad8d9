#!/bin/sh
# Test PKI for the mutual-TLS interface of srtprelayd.conf: a CA, a server
# certificate and a client certificate it signed, and a self-signed client
# certificate it did not. Usage: mkcerts.sh DIR
set -e
D=$1
mkdir -p "$D"
cd "$D"
q() { "$@" > /dev/null 2>&1; }
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
	-subj /CN=srtprelay-test-ca -keyout ca-key.pem -out ca.pem
for n in server client; do
	q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=$n.srtprelay.test" -keyout $n-key.pem -out $n.csr
	printf 'subjectAltName=DNS:%s.srtprelay.test,IP:127.0.0.1\n' $n > $n.ext
	q openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
		-days 30 -extfile $n.ext -out $n.pem
done
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
	-subj /CN=intruder -keyout rogue-key.pem -out rogue.pem

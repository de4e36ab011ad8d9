# A throw-away two-level CA for test/tls/run.sh (sourced; needs $T).
#
#   ca_init                      root "srtprelay Test Root" and intermediate
#   ca_sign CSR OUT [START END] [EXT]
#                                OUT signed by the intermediate, the CSR's
#                                extensions copied (as a public CA does for
#                                SAN and EKU); START/END as YYYYMMDDHHMMSSZ
#                                for expired ones; EXT an extension section
#                                of ca.cnf replacing the default
#
# openssl ca, not openssl x509 -req, so that validity dates in the past can
# be given.

ca_cnf() {
	cat > "$T/ca/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $T/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir/new
certificate = \$dir/inter.pem
private_key = \$dir/inter.key
default_md = sha256
default_days = 90
policy = anything
copy_extensions = copy
unique_subject = no
x509_extensions = leaf_ext
[ anything ]
commonName = optional
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
emailAddress = optional
[ leaf_ext ]
basicConstraints = critical,CA:FALSE
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
[ server_only_ext ]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = serverAuth
[ inter_ext ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ocsp_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
CNF
}

ca_init() {
	mkdir -p "$T/ca/new"
	: > "$T/ca/index.txt"
	echo 1000 > "$T/ca/serial"
	ca_cnf
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/ca/root.key" -out "$T/ca/root.pem" -days 365 \
		-subj "/O=srtprelay test/CN=srtprelay Test Root" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || return 1
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/ca/inter.key" -out "$T/ca/inter.csr" \
		-subj "/O=srtprelay test/CN=srtprelay Test Intermediate" 2>/dev/null || return 1
	openssl x509 -req -in "$T/ca/inter.csr" -CA "$T/ca/root.pem" \
		-CAkey "$T/ca/root.key" -set_serial 2 -days 365 -out "$T/ca/inter.pem" \
		-extfile "$T/ca/ca.cnf" -extensions inter_ext 2>/dev/null
}

ca_sign() {
	csr=$1 out=$2 start=${3:-} end=${4:-} ext=${5:-leaf_ext}
	set -- -batch -config "$T/ca/ca.cnf" -in "$csr" -out "$out.tmp" -notext -extensions "$ext"
	[ -n "$start" ] && set -- "$@" -startdate "$start" -enddate "$end"
	openssl ca "$@" 2>"$T/ca/last.err" && openssl x509 -in "$out.tmp" -out "$out" && rm -f "$out.tmp"
}

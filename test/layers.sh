#!/bin/sh
# srtprelayd's layers (daemon/README.md, "Where things are"), checked from
# the source: every #include "..." under daemon/ and libsrtp-glue/, and,
# when the objects are built (make layercheck builds them), every call
# between files as nm sees it.
#
#   1. no include and no call from a lower layer to a higher one
#   2. a daemon header is included by its layer path ("sip/sip_msg.h")
#   3. no cycle between files (a file is foo.c with foo.h; a header with
#      no .c of its own, like call/call.h or a library's private header,
#      is part of each file that includes it): no loop of includes,
#      however long, and no two files that call each other
#   4. no file-level configuration pointer: a file-scope variable of type
#      struct config (or a pointer to one) under daemon/; configuration is
#      passed down from main's struct srtprelayd
#   5. no function returns a static buffer: no "static char" array
#      inside a function under daemon/
#
# Usage: layers.sh [BUILD]   (BUILD: where make put obj/, default build)
# Prints each check and "N passed, N failed"; exits 1 on a failure.
cd "$(dirname "$0")/.." || exit 1
exec python3 - "${1:-build}" <<'EOF'
import os, re, subprocess, sys
from collections import defaultdict

build = sys.argv[1]

# Each layer, in order, with what it may include or call besides itself.
# glue (libsrtp-glue/) and kmod/ are libraries below the daemon; ctl/ and
# datapath/ are their own programs, which share only tls/ and glue.
ALLOWED = {
	'kmod':     [],
	'glue':     ['kmod'],
	'base':     [],
	'tls':      ['base'],
	'sip':      ['base', 'tls'],
	'config':   ['base', 'tls', 'sip', 'glue'],
	'call':     ['base', 'tls', 'sip', 'config', 'glue', 'kmod'],
	'main':     ['base', 'tls', 'sip', 'config', 'call', 'glue', 'kmod'],
	'ctl':      ['tls', 'glue', 'kmod'],
	'datapath': ['glue', 'kmod'],
}
LAYER_DIRS = ['base', 'tls', 'sip', 'config', 'call']

def layer_of(path):
	parts = path.split('/')
	if parts[0] == 'libsrtp-glue':
		return 'glue'
	if parts[0] == 'kmod':
		return 'kmod'
	if parts[0] == 'daemon':
		if len(parts) == 2:
			return 'main'
		return parts[1]
	return None

def sources():
	out = []
	for top in ('daemon', 'libsrtp-glue'):
		for d, _, files in os.walk(top):
			out += [os.path.join(d, f) for f in sorted(files)
				if f.endswith(('.c', '.h'))]
	return sorted(out)

def module(path):
	return path[:-2]	# foo.c and foo.h are one file pair

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

def resolve(src, name):
	"""Where the compiler finds it: the includer's folder, then -I paths."""
	here = os.path.join(os.path.dirname(src), name)
	if os.path.exists(here):
		return os.path.normpath(here)
	extra = ['daemon/datapath'] if src.startswith('daemon/datapath/') else []
	for d in ['include/uapi', 'kmod', 'libsrtp-glue', 'daemon'] + extra:
		p = os.path.join(d, name)
		if os.path.exists(p):
			return os.path.normpath(p)
	return None

passed = failed = 0
def check(ok, what):
	global passed, failed
	if ok:
		passed += 1
	else:
		failed += 1
		print('  FAIL ' + what)

files = sources()
includes = []		# (src, line, name, target)
for src in files:
	with open(src, errors='replace') as f:
		for n, line in enumerate(f, 1):
			m = INC.match(line)
			if m:
				includes.append((src, n, m.group(1), resolve(src, m.group(1))))

print('== 1. lower layers never include or call higher ones')
for layer, may in ALLOWED.items():
	print('    %-8s may use %s' % (layer, ', '.join(may) or 'itself only'))
bad = defaultdict(list)
for src, n, name, target in includes:
	if target is None:
		bad[src].append('%s:%d: "%s" not found' % (src, n, name))
		continue
	a, b = layer_of(src), layer_of(target)
	if b is None or a == b:
		continue
	if b not in ALLOWED[a]:
		bad[src].append('%s:%d: %s includes %s (%s -> %s)' %
				(src, n, a, target, a, b))
for src in files:
	check(not bad[src], '; '.join(bad[src]))
print('  ok   %d includes read in %d files' % (len(includes), len(files)))

# Calls between files, from the built objects: who defines, who uses.
def objects():
	root = os.path.join(build, 'obj')
	out = {}
	for top in ('daemon', 'libsrtp-glue'):
		for d, _, fs in os.walk(os.path.join(root, top)):
			for f in fs:
				if f.endswith('.o'):
					o = os.path.join(d, f)
					src = os.path.relpath(o, root)[:-2] + '.c'
					if os.path.exists(src):
						out[src] = o
	return out

objs = objects()
calls = defaultdict(set)	# caller file -> called files
if objs:
	defined, used = {}, defaultdict(set)
	for src, o in sorted(objs.items()):
		nm = subprocess.run(['nm', o], capture_output=True, text=True).stdout
		for line in nm.splitlines():
			f = line.split()
			if len(f) == 3 and f[1] in 'TDBR':
				defined.setdefault(f[2], src)
			elif len(f) == 2 and f[0] == 'U':
				used[src].add(f[1])
	for src, syms in used.items():
		for s in syms:
			d = defined.get(s)
			# A program's objects are linked alone: ctl's main is not
			# datapath's; only layers the caller may use count.
			if d and d != src:
				calls[src].add(d)
	bad = defaultdict(list)
	for src, targets in calls.items():
		for t in sorted(targets):
			a, b = layer_of(src), layer_of(t)
			if a != b and b not in ALLOWED[a]:
				bad[src].append('%s calls into %s (%s -> %s)' % (src, t, a, b))
	for src in sorted(objs):
		check(not bad[src], '; '.join(bad[src]))
	print('  ok   calls read from %d objects in %s/obj' % (len(objs), build))
else:
	print('    (no objects in %s/obj: calls not checked; make layercheck builds them)' % build)

print('== 2. daemon headers are included by their layer path')
n_style = 0
for src, n, name, target in includes:
	if not target or not target.startswith('daemon/'):
		continue
	if layer_of(target) in LAYER_DIRS:
		want = os.path.relpath(target, 'daemon')
		n_style += 1
		check(name == want, '%s:%d: #include "%s", write "%s"' % (src, n, name, want))
print('  ok   %d includes of daemon layer headers' % n_style)

print('== 3. no cycle between files (includes and calls)')
def header_only(path):
	return path.endswith('.h') and not os.path.exists(path[:-2] + '.c')

direct = defaultdict(list)	# file -> [(name, target)]
for src, n, name, target in includes:
	if target:
		direct[src].append((name, target))

def reached(src):
	"""What @src includes, looking through header-only files."""
	seen, out, todo = set(), [], list(direct[src])
	while todo:
		name, t = todo.pop()
		if t in seen:
			continue
		seen.add(t)
		if header_only(t):
			todo += direct[t]
		else:
			out.append((name, t))
	return out

edges = defaultdict(set)
why = {}
for src in files:
	if header_only(src):
		continue
	for name, target in reached(src):
		if module(target) != module(src):
			edges[module(src)].add(module(target))
			why.setdefault((module(src), module(target)), 'includes %s' % name)
# Calls count when they go both ways: a file may call down into the
# files beside it, but the one it calls must not call back.
for src, targets in calls.items():
	for t in targets:
		if src in calls.get(t, ()) and module(t) != module(src):
			edges[module(src)].add(module(t))
			why.setdefault((module(src), module(t)), 'calls')

# Tarjan's strongly connected components: a component of more than one
# file is a loop.
index, low, stack, on, sccs = {}, {}, [], set(), []
def strong(v):
	index[v] = low[v] = len(index)
	stack.append(v)
	on.add(v)
	for w in sorted(edges[v]):
		if w not in index:
			strong(w)
			low[v] = min(low[v], low[w])
		elif w in on:
			low[v] = min(low[v], index[w])
	if low[v] == index[v]:
		comp = []
		while True:
			w = stack.pop()
			on.discard(w)
			comp.append(w)
			if w == v:
				break
		sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(set(edges) | {t for ts in edges.values() for t in ts}):
	if v not in index:
		strong(v)
loops = [c for c in sccs if len(c) > 1]
for comp in loops:
	inside = set(comp)
	detail = ['%s -> %s (%s)' % (a, b, why[(a, b)])
		  for a in comp for b in sorted(edges[a] & inside)]
	check(False, 'loop between %s: %s' % (', '.join(comp), '; '.join(detail)))
if not loops:
	check(True, '')
	print('  ok   no loop among %d files' % len(index))

print('== 4. no file-level configuration pointer under daemon/ (banned:')
print('      a file-scope variable of type struct config or struct config *)')
BAN = re.compile(r'^(extern\s+|static\s+)?(const\s+)?struct\s+config\s*\*?\s*(const\s+)?\w+\s*(\[.*\])?\s*(=.*)?;')
for src in files:
	if not src.startswith('daemon/'):
		continue
	hits = []
	with open(src, errors='replace') as f:
		for n, line in enumerate(f, 1):
			if BAN.match(line):
				hits.append('%s:%d: %s' % (src, n, line.strip()))
	check(not hits, '; '.join(hits))
print('  ok   read every daemon file for the pattern')

print('== 5. no function returns a static buffer (banned: "static char"')
print('      inside a function under daemon/)')
for src in files:
	if not src.startswith('daemon/') or not src.endswith('.c'):
		continue
	hits = []
	with open(src, errors='replace') as f:
		for n, line in enumerate(f, 1):
			if re.match(r'^\s+static\s+(unsigned\s+)?char\b', line):
				hits.append('%s:%d: %s' % (src, n, line.strip()))
	check(not hits, '; '.join(hits))
print('  ok   read every daemon source for the pattern')

print('%d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
EOF

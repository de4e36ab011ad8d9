# Hostile-border suite (issue 15): every attack has a test here, shown
# failing on the code before its fix. test/attack/run.sh runs each
# t_*.sh in turn and adds up their "N passed, N failed" lines.
#
#   make attackcheck                 every attack test
#   make attackcheck ATTACKS=t_03    only the files matching a prefix

.PHONY: attackcheck
attackcheck: all ktools
	sh test/attack/run.sh $(ATTACKS)

CHECK_EXTRA += attackcheck

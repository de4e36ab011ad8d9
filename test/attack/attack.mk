# Hostile-border suite (issue 15): every attack has a test here, shown
# failing on the code before its fix. test/attack/run.sh runs each
# t_*.sh in turn and adds up their "N passed, N failed" lines.
#
#   make attackcheck                 every attack test
#   make attackcheck ATTACKS=t_03    only the files matching a prefix

.PHONY: attackcheck
attackcheck: all ktools $(BUILD)/attack/sipflood
	sh test/attack/run.sh $(ATTACKS)

# The SIP flooder of t_30 (UDP requests at a fixed rate from several
# source addresses, bounded in count and time).
$(BUILD)/attack/sipflood: test/attack/sipflood.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

CHECK_EXTRA += attackcheck

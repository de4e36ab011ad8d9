# srtprelayd's layers and loops, read from its includes and its objects
# (test/layers.sh; the rules are in daemon/README.md, "Where things are").
#
#   make layercheck

.PHONY: layercheck
CHECK_EXTRA += layercheck

layercheck: all
	sh test/layers.sh $(BUILD)

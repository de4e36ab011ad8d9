# srtprelay-datapath: the userspace datapath process.
DATAPATH_SRCS := $(sort $(wildcard daemon/datapath/*.c))
DATAPATH_OBJS := $(call obj,$(DATAPATH_SRCS))
PROGRAMS += $(BUILD)/srtprelay-datapath
all: $(BUILD)/srtprelay-datapath

$(DATAPATH_OBJS): CPPFLAGS += -Idaemon/datapath

$(BUILD)/srtprelay-datapath: $(DATAPATH_OBJS) $(GLUE_LIB)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lmnl -lnetfilter_queue -luring -lpthread -lsystemd

$(BUILD)/test/test_sock_ring: TEST_LIBS += -luring

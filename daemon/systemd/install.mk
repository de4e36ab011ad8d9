# make install DESTDIR=...: srtprelay as a Debian SBC host runs it.
#   /usr/sbin                srtprelayd, srtprelay-datapath, srtprelayctl
#   /usr/share/man/man8      srtprelayd.8, srtprelay-datapath.8, srtprelayctl.8
#   bash completion          srtprelayctl
#   /lib/systemd/system      srtprelayd.service, srtprelay-datapath.service
#   /usr/lib/modules-load.d  srtprelay.conf (srtprelay.ko at boot)
#   /etc/srtprelay           srtprelayd.conf: the embedded default (-p)
#   /usr/src/srtprelay-VER   the module's sources and dkms.conf, for dkms
# The service user (srtprelay) is made by the srtprelayd package's
# postinst; a bare make install leaves that to the operator.
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR ?= /lib/systemd/system
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
SYSCONFDIR ?= /etc
DKMS_SRC := $(PREFIX)/src/srtprelay-$(VERSION)
KMOD_SOURCES := Kbuild $(wildcard kmod/*.c kmod/*.h) include/uapi/linux/srtprelay.h

.PHONY: install install-programs install-dkms programs
programs: $(PROGRAMS)

install: install-programs install-dkms

install-programs: $(PROGRAMS)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSCONFDIR)/srtprelay
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(SBINDIR)/
	install -m 0644 daemon/srtprelayd.8 daemon/datapath/srtprelay-datapath.8 \
		daemon/ctl/srtprelayctl.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 daemon/ctl/srtprelayctl.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/srtprelayctl
	install -m 0644 daemon/systemd/srtprelayd.service \
		daemon/systemd/srtprelay-datapath.service $(DESTDIR)$(UNITDIR)/
	{ echo "# /etc/srtprelay/srtprelayd.conf: srtprelayd's embedded default as"; \
	  echo "# installed (srtprelayd -p); srtprelayd -t checks a change."; \
	  $(BUILD)/srtprelayd -p; } >$(BUILD)/srtprelayd.conf
	install -m 0644 $(BUILD)/srtprelayd.conf $(DESTDIR)$(SYSCONFDIR)/srtprelay/

install-dkms:
	install -d $(DESTDIR)$(DKMS_SRC) $(DESTDIR)$(MODULESLOADDIR)
	tar -cf - $(KMOD_SOURCES) | tar -xf - -C $(DESTDIR)$(DKMS_SRC)
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf \
		>$(DESTDIR)$(DKMS_SRC)/dkms.conf
	install -m 0644 daemon/systemd/modules-load.conf \
		$(DESTDIR)$(MODULESLOADDIR)/srtprelay.conf

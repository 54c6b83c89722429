# Packaging targets for quo-collectd; included by the Makefile (which it
# needs: B, VERSION, the build rules and the deps-* steps).
#
#   make man            build/man/collectd-quo.5 and build/man/check_quo.1
#                       from packaging/man/*.pod (pod2man, from perl)
#   make install        quo.so, check_quo, quo-notify-nagios (in
#                       $(LIBDIR)/collectd-quo) and the man pages under
#                       $(DESTDIR)$(PREFIX) (PREFIX=/usr/local; LIBDIR,
#                       MANDIR override the lib and man directories)
#   make uninstall      removes what `make install` put there
#   make deb            build/collectd-quo_*.deb and
#                       build/monitoring-plugins-quo_*.deb with
#                       dpkg-buildpackage from packaging/debian/, checked
#                       with lintian (installs the build tools it lacks:
#                       sh tests/deps.sh deb)
#   make rpm            build/rpm/RPMS/*/*.rpm from
#                       packaging/rpm/quo-collectd.spec (on Debian:
#                       installs rpm, then rpmbuild --nodeps)
#   make package-check  builds the .debs, loads the packaged quo.so into a
#                       real collectd and runs the packaged check_quo, both
#                       against the stand-in API; lintian; file paths

ifndef QUO_PACKAGING_MK
QUO_PACKAGING_MK := 1

PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
MANDIR  ?= $(PREFIX)/share/man
INSTALL ?= install

PKG_NAME := quo-collectd
MAN_SRC  := $(wildcard packaging/man/*.pod)
MAN_OUT  := $(MAN_SRC:packaging/man/%.pod=$(B)/man/%)

.PHONY: man install uninstall deb deb-lintian rpm package-check

# ---- man pages: one POD source each --------------------------------------

man: $(MAN_OUT)

# packaging/man/NAME.SECTION.pod -> $(B)/man/NAME.SECTION
$(B)/man/%: packaging/man/%.pod
	@mkdir -p $(@D)
	pod2man --errors=die --utf8 --center="quo-collectd" \
	  --release="quo-collectd $(VERSION)" \
	  --name="$(basename $*)" --section="$(patsubst .%,%,$(suffix $*))" \
	  $< $@.tmp
	mv $@.tmp $@

# ---- install ---------------------------------------------------------------

install: all man
	$(INSTALL) -d $(DESTDIR)$(LIBDIR)/collectd \
	  $(DESTDIR)$(LIBDIR)/nagios/plugins \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(LIBDIR)/collectd-quo $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0644 $(B)/quo.so $(DESTDIR)$(LIBDIR)/collectd/quo.so
	$(INSTALL) -m 0755 $(B)/check_quo \
	  $(DESTDIR)$(LIBDIR)/nagios/plugins/check_quo
	$(INSTALL) -m 0644 $(B)/man/collectd-quo.5 $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 $(B)/man/check_quo.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0755 $(B)/quo-notify-nagios \
	  $(DESTDIR)$(LIBDIR)/collectd-quo/quo-notify-nagios
	$(INSTALL) -m 0644 $(B)/man/quo-notify-nagios.8 $(DESTDIR)$(MANDIR)/man8/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/collectd/quo.so \
	  $(DESTDIR)$(LIBDIR)/nagios/plugins/check_quo \
	  $(DESTDIR)$(MANDIR)/man5/collectd-quo.5 \
	  $(DESTDIR)$(MANDIR)/man1/check_quo.1 \
	  $(DESTDIR)$(LIBDIR)/collectd-quo/quo-notify-nagios \
	  $(DESTDIR)$(MANDIR)/man8/quo-notify-nagios.8

# ---- Debian ----------------------------------------------------------------

# What the package build needs of the tree: dpkg-buildpackage runs in a
# copy under $(DEB_WORK), so it never cleans or writes the working tree
# and its output lands beside the copy, not in the tree's parent.
PKG_SOURCES := Makefile VERSION README.md plugin contrib packaging \
               tests/fuzz/fuzz.mk
DEB_WORK    := $(B)/deb
DEB_SRC     := $(DEB_WORK)/$(PKG_NAME)-$(VERSION)
DEB_OUT      = $(wildcard $(B)/collectd-quo_$(VERSION)_*.deb \
                 $(B)/monitoring-plugins-quo_$(VERSION)_*.deb)

deb: deps-deb
	rm -rf $(DEB_WORK)
	rm -f $(B)/collectd-quo_*.deb $(B)/monitoring-plugins-quo_*.deb $(B)/lintian.txt \
	  $(B)/$(PKG_NAME)_*.buildinfo $(B)/$(PKG_NAME)_*.changes
	mkdir -p $(DEB_SRC)
	tar -cf - --exclude='*.o' --exclude='*.so' $(PKG_SOURCES) | \
	  tar -xf - -C $(DEB_SRC)
	cp -R packaging/debian $(DEB_SRC)/debian
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	mv $(DEB_WORK)/*.deb $(DEB_WORK)/*.buildinfo $(DEB_WORK)/*.changes $(B)/
	rm -rf $(DEB_WORK)
	$(deb_lintian)
	@ls -1 $(B)/*.deb

# lintian over the built packages: fails on any error, prints the rest and
# keeps it in $(B)/lintian.txt for package-check (lintian takes seconds:
# run once).
define deb_lintian
@out=$$(lintian --fail-on error --display-level '>=warning' \
    $(B)/$(PKG_NAME)_$(VERSION)_*.changes 2>&1); rc=$$?; \
  out=$$(echo "$$out" | grep -v 'not recommended'); \
  echo "$$out" > $(B)/lintian.txt; \
  [ -z "$$out" ] || echo "$$out"; \
  echo "lintian: $$(echo "$$out" | grep -c '^E:') errors, $$(echo "$$out" | grep -c '^W:') warnings"; \
  exit $$rc
endef
deb-lintian:
	$(deb_lintian)

# ---- RPM -------------------------------------------------------------------

RPM_TOP  := $(abspath $(B)/rpm)
RPM_SPEC := packaging/rpm/$(PKG_NAME).spec
# rpmbuild on a Debian system has no RPM database of the build
# dependencies and no debugedit: skip both there.
RPM_OPTS := $(if $(wildcard /etc/debian_version),--nodeps \
              --define 'debug_package %{nil}')

rpm:
	@command -v rpmbuild >/dev/null || sh tests/deps.sh rpm
	rm -rf $(RPM_TOP)
	mkdir -p $(RPM_TOP)/SOURCES $(RPM_TOP)/SPECS
	tar -czf $(RPM_TOP)/SOURCES/$(PKG_NAME)-$(VERSION).tar.gz \
	  --exclude='*.o' --exclude='*.so' \
	  --transform 's,^,$(PKG_NAME)-$(VERSION)/,' $(PKG_SOURCES)
	cp $(RPM_SPEC) $(RPM_TOP)/SPECS/
	rpmbuild -bb $(RPM_OPTS) --define '_topdir $(RPM_TOP)' \
	  $(RPM_TOP)/SPECS/$(PKG_NAME).spec
	@ls -1 $(RPM_TOP)/RPMS/*/*.rpm
	@for r in $(RPM_TOP)/RPMS/*/*.rpm; do echo "== $$r"; rpm -qlp $$r; done

# ---- the packages at work --------------------------------------------------

package-check: deps-check deb $(B)/quo-standin
	sh packaging/package-check.sh $(B)

endif

#!/bin/bash
# Packaging.  The bash completion (completion.sh), with every build.  Then,
# with the normal build only, the Debian package: built with
# dpkg-buildpackage -b -us -uc in a temporary copy of the tree (the work
# tree is left as it is), checked with lintian (no errors; its warnings are
# printed as "#" lines), installed with dpkg -i, its binary run (--version,
# --help, a decode of the sample vmcore, compared with the tree's binary),
# its man page rendered by man, its completion run, its kdump-tools hook
# checked present and not enabled; then removed and purged, with the
# links README.Debian has the administrator make, and nothing may be left.
# Needs root and dpkg-dev, debhelper, lintian (README, Quick start).  The
# package is never left installed: a trap purges it whatever happens.  A
# smmu-strtab-dump package installed before the test is not touched (skip).
# Prints "ok NAME" / "not ok NAME - reason".
cd "$(dirname "$0")/../.."
top=$PWD
tool=${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}
P=smmu-strtab-dump
CP=smmu-strtab-dump-crash	# the crash extension's package
core=tests/vmcores/sample.vmcore
regs=tests/vmcores/sample.regs

bash tests/pkg/completion.sh

skip() { echo "ok pkg/deb # skip $*"; exit 0; }
case $tool in
*build-san*) skip "only runs with the normal build" ;;
esac
[ "$(id -u)" = 0 ] || skip "needs root (dpkg -i)"
for c in dpkg-buildpackage dh lintian; do
	command -v $c >/dev/null || skip "$c not installed (apt-get install dpkg-dev debhelper lintian)"
done
for p in $P $CP; do
	if dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -qv 'not-installed'; then
		skip "a $p package is already on this machine; not replacing it (dpkg --purge $p to run this test)"
	fi
done

tmp=$(mktemp -d)
installed=
made_links=()
made_dir=
cleanup() {
	[ -n "$installed" ] && dpkg --purge $P $CP >/dev/null 2>&1
	local l
	for l in "${made_links[@]}"; do [ -L "$l" ] && rm -f "$l"; done
	[ -n "$made_dir" ] && rmdir "$made_dir" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

pass() { echo "ok pkg/deb/$1"; }
fail() { echo "not ok pkg/deb/$1 - $2"; }
check() { # NAME REASON CMD... : ok when CMD succeeds
	local name=$1 why=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# The tree without what builds leave in it (and the tool's outputs).
mkdir "$tmp/src"
tar -C "$top" -cf - --exclude-vcs --exclude=./build --exclude='./build-*' \
	--exclude=./smmu-strtab-dump --exclude=./smmu-strtab-dump.static \
	--exclude=__pycache__ . | tar -C "$tmp/src" -xf -
if (cd "$tmp/src" && dpkg-buildpackage -b -us -uc -j2) >"$tmp/build.log" 2>&1; then
	pass build
else
	fail build "dpkg-buildpackage failed: $(tail -n 5 "$tmp/build.log" | tr '\n' ' ')"
	exit 0
fi
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
deb=$(ls "$tmp"/${P}_*.deb)
check version-matches-makefile "$deb is not version $version of the Makefile" \
	[ "$(dpkg-deb -f "$deb" Version)" = "$version" ]
check decoder-tests-in-build "the build did not run the decoder unit tests" \
	grep -q '^! grep .^not ok . build/unit/test_decoders.out' "$tmp/build.log"

# lintian: errors fail, warnings and the rest are shown.
lintian -I --pedantic "$tmp"/${P}_*.changes >"$tmp/lintian" 2>"$tmp/lintian.err"
rc=$?
sed 's/^/# lintian: /' "$tmp/lintian"
check lintian-no-errors "exit $rc: $(grep '^E:' "$tmp/lintian" | tr '\n' ' ') $(grep -v 'root privileges' "$tmp/lintian.err" | head -c 200)" \
	sh -c "[ $rc = 0 ] && ! grep -q '^E:' '$tmp/lintian'"

# What the package holds, before installing it.
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./|/|; s|/$||' >"$tmp/contents"
for f in /usr/bin/$P /usr/share/man/man1/$P.1.gz /usr/share/bash-completion/completions/$P \
	/usr/lib/$P/smmu-strtab-dump-pre /usr/lib/$P/initramfs-hook \
	/etc/$P/kdump-tools-dump.service.d/$P.conf /usr/share/doc/$P/README.Debian; do
	check "contains$f" "not in the package" grep -qxF "$f" "$tmp/contents"
done
check drop-in-conffile "the drop-in is not a conffile" \
	sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xOf - ./conffiles | grep -qx /etc/$P/kdump-tools-dump.service.d/$P.conf"
check nothing-enabled "the package installs an active hook" \
	sh -c "! grep -E '^/(etc|usr/lib)/systemd/|^/lib/systemd/|initramfs-tools/hooks' '$tmp/contents'"

# The crash extension's package: smmu.so where crash's `extend` finds it by
# name, depending on the crash release whose defs.h it was built against.
cdeb=$(ls "$tmp"/${CP}_*.deb 2>/dev/null)
check crash-package-built "no ${CP}_*.deb" [ -f "$cdeb" ]
crash_up=$(dpkg-query -W -f='${Version}' crash 2>/dev/null | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//')
if [ -f "$cdeb" ]; then
	dpkg-deb -c "$cdeb" | awk '{ print $NF }' | sed 's|^\./|/|; s|/$||' >"$tmp/ccontents"
	check crash-contains/usr/lib/crash/extensions/smmu.so "not in $CP" \
		grep -qx /usr/lib/crash/extensions/smmu.so "$tmp/ccontents"
	check crash-depends-on-its-crash "Depends: $(dpkg-deb -f "$cdeb" Depends)" \
		sh -c "dpkg-deb -f '$cdeb' Depends | grep -qF 'crash (>= $crash_up), crash (<< $crash_up.1~)'"
fi

# Install.
installed=yes
if dpkg -i "$deb" ${cdeb:+"$cdeb"} >"$tmp/dpkg.log" 2>&1; then pass install; else
	fail install "dpkg -i: $(tail -n 5 "$tmp/dpkg.log" | tr '\n' ' ')"; exit 0; fi
if [ -f "$cdeb" ]; then
	so=/usr/lib/crash/extensions/smmu.so
	check crash-extension-installed "$so: $(nm -D "$so" 2>&1 | grep -c ' U register_extension$') register_extension imports, ldd: $(ldd "$so" 2>&1 | grep 'not found' | head -c 200)" \
		sh -c "nm -D '$so' | grep -q ' U register_extension\$' && ! ldd '$so' | grep -q 'not found'"
	dpkg -L $CP >"$tmp/cfiles"
	if dpkg --purge $CP >"$tmp/dpkg.log" 2>&1; then pass crash-purge; else
		fail crash-purge "$(tail -n 3 "$tmp/dpkg.log")"; fi
	check crash-purge-leaves-nothing "$so left" [ ! -e "$so" ]
fi
dpkg -L $P >"$tmp/files"
check run-version "--version: $(/usr/bin/$P --version 2>&1)" \
	[ "$(/usr/bin/$P --version 2>&1)" = "$P $version" ]
check run-help "--help failed" sh -c "/usr/bin/$P --help | grep -q '^Usage: $P'"
/usr/bin/$P --regs=$regs -m $core >"$tmp/decode" 2>"$tmp/decode.err"
rc=$?
check run-decode "exit $rc (want 1: the sample has a bypass STE): $(head -c 200 "$tmp/decode.err")" \
	sh -c "[ $rc = 1 ] && grep -q 'DMA at the crash' '$tmp/decode' && grep -q bypass '$tmp/decode'"
if [ -x "$tool" ]; then
	"$tool" --regs=$regs -m $core >"$tmp/decode.tree" 2>&1
	check decode-as-tree-binary "the installed binary's report differs from $tool's" \
		cmp -s "$tmp/decode" "$tmp/decode.tree"
fi

# The man page, through man: the installed file, found by name (MANPATH:
# not a copy some make install left under /usr/local).
if command -v man >/dev/null; then
	export MANPATH=/usr/share/man
	check man-finds-installed "man -w: $(man -w $P 2>&1)" \
		[ "$(man -w $P 2>&1)" = /usr/share/man/man1/$P.1.gz ]
	MANWIDTH=80 MANPAGER=cat man $P >"$tmp/man" 2>"$tmp/man.err"
	rc=$?
	check man-renders "man $P: exit $rc, $(head -c 200 "$tmp/man.err")" \
		sh -c "[ $rc = 0 ] && grep -q '^NAME' '$tmp/man' && grep -q '^FILES' '$tmp/man' && [ \$(wc -l <'$tmp/man') -gt 200 ]"
	check man-names-completion "FILES does not name the completion" \
		grep -q "/usr/share/bash-completion/completions/$P" "$tmp/man"
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l /usr/share/man/man1/$P.1.gz \
		2>"$tmp/man.warn" >/dev/null
	check man-no-warnings "groff: $(head -c 300 "$tmp/man.warn")" [ ! -s "$tmp/man.warn" ]
else
	echo "ok pkg/deb/man-renders # skip man (man-db) not installed"
fi

# The completion, installed, on the installed binary.
check completion-file "not installed" [ -f /usr/share/bash-completion/completions/$P ]
bash tests/pkg/completion.sh /usr/share/bash-completion/completions/$P /usr/bin/$P deb/installed-completion
if [ -r /usr/share/bash-completion/bash_completion ]; then
	check completion-loaded-on-demand "bash-completion does not load it" bash -c \
		". /usr/share/bash-completion/bash_completion; __load_completion $P; complete -p $P | grep -q _smmu_strtab_dump"
else
	echo "ok pkg/deb/completion-loaded-on-demand # skip bash-completion not installed"
fi

# The hook is there, and not enabled until the administrator links it.
dropin=/etc/systemd/system/kdump-tools-dump.service.d/$P.conf
conf=/etc/$P/kdump-tools-dump.service.d/$P.conf
check hook-not-enabled "$dropin exists after install" sh -c "[ ! -e '$dropin' ] && [ ! -L '$dropin' ]"
check hook-script "the drop-in's script is not executable" \
	sh -c "grep -q '^ExecStartPre=-/usr/lib/$P/smmu-strtab-dump-pre\$' $conf && [ -x /usr/lib/$P/smmu-strtab-dump-pre ]"
# Enable it as README.Debian says; remove and purge must undo the links.
[ -d "${dropin%/*}" ] || made_dir=${dropin%/*}
mkdir -p "${dropin%/*}" && ln -s "$conf" "$dropin" && made_links+=("$dropin")
ihook=/etc/initramfs-tools/hooks/$P
if [ -d "${ihook%/*}" ] && [ ! -e "$ihook" ]; then
	ln -s /usr/lib/$P/initramfs-hook "$ihook" && made_links+=("$ihook")
fi

if dpkg -r $P >"$tmp/dpkg.log" 2>&1; then pass remove; else fail remove "$(tail -n 3 "$tmp/dpkg.log")"; fi
check remove-keeps-conffile "$conf gone after remove" [ -f "$conf" ]
check remove-binary-gone "/usr/bin/$P still there" [ ! -e /usr/bin/$P ]
if [ -n "${made_links[1]:-}" ]; then
	check remove-unlinks-initramfs-hook "$ihook left" [ ! -L "$ihook" ]
else
	echo "ok pkg/deb/remove-unlinks-initramfs-hook # skip no /etc/initramfs-tools/hooks here"
fi
if dpkg --purge $P >"$tmp/dpkg.log" 2>&1; then pass purge; installed=
else fail purge "$(tail -n 3 "$tmp/dpkg.log")"; fi
check purge-unlinks-drop-in "$dropin left" [ ! -L "$dropin" ]
check purge-not-installed "dpkg -L still lists files" sh -c "! dpkg -L $P >/dev/null 2>&1"
check purge-status "dpkg-query: $(dpkg-query -W -f='${Status}' $P 2>&1)" \
	sh -c "! dpkg-query -W -f='\${Status}' $P 2>/dev/null | grep -q ' installed\|config-files'"
# Every file and link is gone; a directory may stay only if another package
# owns it or something else is in it.
left=()
while IFS= read -r f; do
	[ "$f" = /. ] && continue
	if [ -L "$f" ] || [ -f "$f" ]; then left+=("$f")
	elif [ -d "$f" ] && [ -z "$(ls -A "$f")" ] && ! dpkg -S "$f" >/dev/null 2>&1; then left+=("$f/")
	fi
done <"$tmp/files"
for f in "$conf" "$ihook" "$dropin"; do [ -e "$f" ] || [ -L "$f" ] && left+=("$f"); done
check purge-leaves-nothing "left: ${left[*]}" [ ${#left[@]} -eq 0 ]

#!/bin/bash
# The bash completion (contrib/bash-completion/smmu-strtab-dump): sourced in
# bash, its function is called with COMP_WORDS as bash would split the
# line, and COMPREPLY is checked: options, -o columns (after a comma, with
# +LIST, glued to -o), files and directories for the dump and --regs.  Then
# every option of --help must be offered, and nothing --help lacks, so an
# option added to the CLI without its completion fails here.
# Usage: tests/pkg/completion.sh [COMPLETION-FILE [BINARY [NAME-PREFIX]]]
# (defaults: the tree's file, $SMMU_STRTAB_DUMP, "completion"; tests/pkg/test.sh
# runs it again on the installed package's file and binary).
# Prints "ok NAME" / "not ok NAME - reason".
cd "$(dirname "$0")/../.."
top=$PWD
file=$(realpath "${1:-contrib/bash-completion/smmu-strtab-dump}")
tool=${2:-${SMMU_STRTAB_DUMP:-./smmu-strtab-dump}}
pfx=pkg/${3:-completion}
if ! command -v "$tool" >/dev/null; then
	echo "not ok $pfx/binary - $tool not found (make?)"
	exit 0
fi
[[ $tool == */* ]] && tool=$(realpath "$tool")

# shellcheck source=/dev/null
. "$file" || { echo "not ok $pfx/source - $file does not source"; exit 0; }
if [[ $(complete -p smmu-strtab-dump 2>/dev/null) == *"-F _smmu_strtab_dump "* ]]; then
	echo "ok $pfx/registered"
else
	echo "not ok $pfx/registered - complete -p: $(complete -p smmu-strtab-dump 2>&1)"
fi

# comp WORD... : complete the last WORD of the line "$tool WORD..."
comp() {
	COMP_WORDS=("$tool" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_smmu_strtab_dump "$tool" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
}
# expect NAME WANT... -- WORD... : COMPREPLY is exactly WANT... (any order)
expect() {
	local name=$1 want=() got
	shift
	while [ "$1" != -- ]; do want+=("$1"); shift; done
	shift
	comp "$@"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort)
	if [ "$got" = "$(printf '%s\n' "${want[@]}" | sort)" ]; then
		echo "ok $pfx/$name"
	else
		echo "not ok $pfx/$name - '$*' gave [$(echo $got)], expected [${want[*]}]"
	fi
}
# has NAME WANT -- WORD... : COMPREPLY holds WANT (among others)
has() {
	local name=$1 want=$2
	shift 3
	comp "$@"
	if printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$want"; then
		echo "ok $pfx/$name"
	else
		echo "not ok $pfx/$name - '$*' gave [${COMPREPLY[*]}], no $want"
	fi
}

# Options.
has long-options --list-columns -- --
has long-option-with-value --regs= -- --
expect long-prefix --output= -- --out
expect long-prefix-two --strtab-base= --strtab-base-cfg= -- --strtab
has short-options -J -- -

# Columns, from the binary's own list.
mapfile -t cols < <("$tool" --list-columns | awk '{ print $1 }')
if [ ${#cols[@]} -ge 10 ]; then echo "ok $pfx/list-columns"; else
	echo "not ok $pfx/list-columns - $tool --list-columns gave ${#cols[@]} columns"; fi
expect columns-all "${cols[@]/%/,}" -- -o ""
expect columns-after-comma SID,CONFIG, -- -o SID,CO
expect columns-long-equals SID,TTB, -- --output = SID,T
expect columns-long-separate SID,MAPPED, -- --output SID,MAP
expect columns-glued -oSID,VMID, -- -oSID,VM
expect columns-append +CONFIG, -- -o +CON
expect columns-append-after-comma +SID,S1FMT, +SID,S2TTB, -- -o +SID,S
expect columns-listed-not-again SID,CONFIG,CDS, SID,CONFIG,CDMAX, -- -o SID,CONFIG,CD
expect columns-none-left -- -o SID,SID
expect columns-each-once CONFIG,CDS, CONFIG,CDMAX, -- -o CONFIG,CD

# Files and directories.
expect vmcore-file tests/vmcores/sample.vmcore -- tests/vmcores/sample.v
expect vmcore-directory tests/vmcores -- tests/vmc
expect vmlinux-file tests/vmcores/sample.regs -- -a tests/vmcores/sample.vmcore tests/vmcores/sample.r
expect regs-equals tests/vmcores/sample.regs -- --regs = tests/vmcores/sample.r
expect timeout-no-value -- --timeout = ""
expect regs-separate tests/vmcores/sample.regs -- --regs tests/vmcores/sample.r
expect debuginfo-equals tests/vmcores/sample.vmcore -- --debuginfo = tests/vmcores/sample.v
expect capture-regs-equals tests/vmcores/sample.regs -- --capture-regs = tests/vmcores/sample.r
expect file-after-flag tests/vmcores/sample.vmcore -- --json tests/vmcores/sample.v
expect no-file-for-sid -- -s tests/vmcores/sample.v
# With '=' not a word break, "--regs=PATH" is one word.
COMP_WORDBREAKS_SAVED=$COMP_WORDBREAKS
COMP_WORDBREAKS=${COMP_WORDBREAKS//=/}
expect regs-one-word --regs=tests/vmcores/sample.regs -- --regs=tests/vmcores/sample.r
COMP_WORDBREAKS=$COMP_WORDBREAKS_SAVED

# An option word is never a glob: "-?" stays itself beside a file "-x".
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/-x"
cd "$tmp" && has no-glob '-?' -- - && cd "$top"

# Every option of --help is offered, and the value-taking ones complete a
# value (or say there is none); nothing is offered that --help lacks.
help=$("$tool" --help)
# the option column of argp's --help: "  -a, --all", "      --regs=FILE"
mapfile -t help_long < <(sed -n 's/^  \(-[^ ], \|    \)\(--[a-z][a-z-]*\(\[\?=[A-Z]*\]\?\)\?\).*/\2/p' <<<"$help")
mapfile -t help_short < <(sed -n 's/^  \(-[^ ]\), --.*/\1/p' <<<"$help")
offered=" $_smmu_strtab_dump_long $_smmu_strtab_dump_short "
offered=${offered//$'\n'/ }
expected=" "
missing=()
for o in "${help_long[@]}"; do
	name=${o%%[[=]*}
	case $o in
	*"[="*) want="$name $name=" ;;	# optional value: both
	*=*) want="$name=" ;;
	*) want="$name" ;;
	esac
	expected+="$want "
	for w in $want; do
		[[ $offered == *" $w "* ]] || missing+=("$w")
	done
	if [[ $o == *=* ]] && ! _smmu_strtab_dump_value "$tool" "$name" "" >/dev/null; then
		missing+=("value-of-$name")
	fi
done
for o in "${help_short[@]}"; do
	expected+="$o "
	[[ $offered == *" $o "* ]] || missing+=("$o")
done
if [ ${#help_long[@]} -ge 15 ] && [ ${#help_short[@]} -ge 8 ] && [ ${#missing[@]} -eq 0 ]; then
	echo "ok $pfx/every-help-option"
else
	echo "not ok $pfx/every-help-option - ${#help_long[@]} long, ${#help_short[@]} short options in --help; not completed: ${missing[*]}"
fi
stale=()
for w in $offered; do
	[[ $expected == *" $w "* ]] || stale+=("$w")
done
if [ ${#stale[@]} -eq 0 ]; then echo "ok $pfx/no-stale-option"; else
	echo "not ok $pfx/no-stale-option - offered but not in --help: ${stale[*]}"; fi

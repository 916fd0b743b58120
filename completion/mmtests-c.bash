# bash completion for mmtests-c's programs: options (read from each
# program's --help, so they cannot drift), config files for -c/--config,
# run names for -n/--names (from -d DIR, else ./work/log), benchmark names
# for -b. Installed as .../bash-completion/completions/<program>.

_mmtests_c_options() {	# PROGRAM: its long options, from its --help
	"$1" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

_mmtests_c_logdir() {	# the -d/--directory given on the line, else work/log
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in -d|--directory) echo "${COMP_WORDS[i + 1]}"; return ;; esac
	done
	echo "${MMTESTS_WORK:-work}/log"
}

_mmtests_c() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} prog=${COMP_WORDS[0]}
	COMPREPLY=()
	case $prev in
	-c|--config)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-d|--directory|--guest|--results)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	-n|--names)	# comma-separated run names under the log directory
		local dir runs head=${cur%,*} last=${cur##*,}
		dir=$(_mmtests_c_logdir)
		runs=$(cd "$dir" 2>/dev/null && for r in */; do [ -e "$r/run.json" ] || [ -d "$r/iter-0" ] && echo "${r%/}"; done)
		[ "$head" = "$cur" ] && head= || head+=,
		COMPREPLY=($(compgen -W "$runs" -- "$last"))
		COMPREPLY=("${COMPREPLY[@]/#/$head}")
		compopt -o nospace 2>/dev/null
		return ;;
	-b|--benchmark)
		local benches
		benches=$(run-mmtests --list 2>/dev/null | awk '/^Configs/ {exit} /^  (ready|no) / {print $2}')
		COMPREPLY=($(compgen -W "$benches" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_mmtests_c_options "$prog")" -- "$cur"))
	fi
}

complete -F _mmtests_c run-mmtests run-kvm compare-mmtests graph-mmtests mmtests-sync mmtests-monitor mig-mon mmtests-db mmtests-nightly mmtests-bisect

#!/usr/bin/env bash
# One JVM for many commands: `tend console` fed N commands on a pipe, against N runs of the
# command, each in a JVM of its own.
#
#   bench/console.sh [-n COMMANDS] [-w WORKERS] [-r ROUNDS] [LAUNCHER]
#
# LAUNCHER is an installed `tend` or the source tree's cli/src/main/launcher/tend (the default);
# nothing is built here. The script
#   1. makes the launcher's class-data archive in the foreground (TEND_CDS=train), unless TEND_CDS
#      turns it off, so that the separate runs start as fast as they can;
#   2. starts a real instance with WORKERS (default 20) idle workers (`cat`) in a temporary runtime
#      directory;
#   3. for `ps` and for `get NAME` (a read of the state file, no control request), ROUNDS times
#      (default 3): times `tend console` reading 1 line, then COMMANDS lines (default 200), then
#      COMMANDS separate runs of `tend CMD`; it prints the medians: the console's start-up (1
#      line), its time per command ((COMMANDS lines - 1 line) / (COMMANDS - 1)) and the time per
#      separate run;
#   4. stops the instance.
# The machine is often shared: compare figures taken moments apart.
#
# Needs bash 5 (EPOCHREALTIME) and awk.

set -euo pipefail

commands=200
workers=20
rounds=3
while [[ ${1-} == -n || ${1-} == -w || ${1-} == -r ]]; do
    case $1 in
        -n) commands=$2 ;;
        -w) workers=$2 ;;
        -r) rounds=$2 ;;
    esac
    shift 2
done
[[ $commands =~ ^[0-9]+$ && $commands -ge 2 ]] || { echo "console.sh: -n takes a number, 2 or more" >&2; exit 2; }
[[ $workers =~ ^[0-9]+$ && $workers -ge 1 ]] || { echo "console.sh: -w takes a number of workers" >&2; exit 2; }
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 1 ]] || { echo "console.sh: -r takes a number of rounds" >&2; exit 2; }
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
tend=${1:-$here/../cli/src/main/launcher/tend}
[[ -x $tend ]] || { echo "console.sh: $tend is not an executable tend launcher" >&2; exit 2; }
[[ -n ${EPOCHREALTIME-} ]] || { echo "console.sh: needs bash 5 or newer" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tend-console.XXXXXX")
export TEND_RUNTIME_DIR=$work/run
unset TEND_SOCKET TEND_STATE TEND_NAME
project=$work/bench
mkdir -p "$project"
up_pid=

cleanup() {
    if [[ -n $up_pid ]] && kill -0 "$up_pid" 2>/dev/null; then
        "$tend" down -c "$project/tend.toml" >/dev/null 2>&1 || kill "$up_pid" 2>/dev/null || true
        wait "$up_pid" 2>/dev/null || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT

case ${TEND_CDS:-1} in
    0 | off | false | no) ;;
    *) TEND_CDS=train "$tend" --version >/dev/null ;;
esac

cat >"$project/tend.toml" <<TOML
[pool.idle]
command = ["cat"]
count = $((workers))

[pool.pub]
command = ["sh", "-c", "echo '{\"leader\":\"db-2\"}' >&3; exec cat"]
TOML
cd "$project"
"$tend" up >"$work/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 600); do
    "$tend" require "idle.$workers" pub.1 >/dev/null 2>&1 && "$tend" get pub.1 leader >/dev/null 2>&1 && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$work/up.log" >&2; exit 1; }
    sleep 0.1
done

# micros CMD...: microseconds CMD takes, its output thrown away; its input is $input.
micros() {
    local t0 t1
    t0=${EPOCHREALTIME/./}
    "$@" <"$input" >/dev/null 2>&1 || true
    t1=${EPOCHREALTIME/./}
    echo $((t1 - t0))
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# separate CMD...: microseconds for $commands runs of `tend CMD`, one after the other.
separate() {
    local t0 t1 i
    t0=${EPOCHREALTIME/./}
    for ((i = 0; i < commands; i++)); do
        "$tend" "$@" >/dev/null 2>&1 </dev/null || true
    done
    t1=${EPOCHREALTIME/./}
    echo $((t1 - t0))
}

printf '%-14s %12s %14s %14s %8s\n' command 'console start' 'in console' 'separate run' ratio
for cmd in "ps" "get pub.1 leader"; do
    read -ra words <<<"$cmd"
    one=$work/one.txt
    many=$work/many.txt
    printf '%s\n' "$cmd" >"$one"
    for ((i = 0; i < commands; i++)); do printf '%s\n' "$cmd"; done >"$many"
    starts=() pers=() seps=()
    input=$one
    micros "$tend" console >/dev/null # warm-up
    for ((r = 0; r < rounds; r++)); do
        input=$one
        a=$(micros "$tend" console)
        input=$many
        b=$(micros "$tend" console)
        c=$(separate "${words[@]}")
        starts+=("$a")
        pers+=("$(((b - a) / (commands - 1)))")
        seps+=("$((c / commands))")
    done
    start=$(printf '%s\n' "${starts[@]}" | median)
    per=$(printf '%s\n' "${pers[@]}" | median)
    sep=$(printf '%s\n' "${seps[@]}" | median)
    printf '%-14s %9.1f ms %11.2f ms %11.1f ms %7.0fx\n' "$cmd" \
        "$(awk -v v="$start" 'BEGIN { print v / 1000 }')" "$(awk -v v="$per" 'BEGIN { print v / 1000 }')" \
        "$(awk -v v="$sep" 'BEGIN { print v / 1000 }')" "$(awk -v a="$sep" -v b="$per" 'BEGIN { print a / b }')"
done

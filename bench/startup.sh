#!/usr/bin/env bash
# Start-up of tend's client commands against a Java hello-world, side by side.
#
#   bench/startup.sh [-n RUNS] [-w WORKERS] [LAUNCHER]
#
# LAUNCHER is an installed `tend` or the source tree's cli/src/main/launcher/tend (the default);
# nothing is built here. The JDK is the one the launcher picks (TEND_JAVA and the other variables
# of the launcher apply). The script
#   1. asks the launcher for its java and the client commands' JVM flags (TEND_LAUNCHER_DEBUG=1, with
#      TEND_FAST=0 so that it starts the JVM client for --version);
#   2. compiles a hello-world with that JDK's javac, to run with the same java and flags (the
#      JDK's own class-data archive, not tend's);
#   3. makes the launcher's class-data archive in the foreground (TEND_CDS=train), unless
#      TEND_CDS turns it off;
#   4. starts a real instance, WORKERS (default 100) idle workers (`cat`, which ends when tend
#      closes its stdin; one also records its environment, for `tend set`), in a temporary runtime
#      directory;
#   5. times each command and the hello-world in turn, RUNS times each (default 10, after one
#      warm-up each), and prints the median wall time of both, the median of the pairwise ratios,
#      and the peak RSS of both (GNU time, separate runs); then the classes each command loads
#      (-Xlog:class+load), in all and from JNA, a TOML parser, Gson and picocli (set through
#      TEND_JAVA_OPTS, which makes the launcher run the JVM client: for the commands it answers
#      without a JVM, through the command FIFO, the status file or the build's texts, these are the JVM
#      client's); a "(JVM)" line is the same command through the JVM client (TEND_FAST=0 or
#      TEND_STATUS_FILE=0);
#   6. stops the instance.
# The machine is often shared: read the ratios, which compare runs made moments apart.
#
# Needs bash 5 (EPOCHREALTIME), GNU time (/usr/bin/time, Debian package `time`), javac, awk.

set -euo pipefail

runs=10
workers=100
while [[ ${1-} == -n || ${1-} == -w ]]; do
    case $1 in
        -n) runs=$2 ;;
        -w) workers=$2 ;;
    esac
    shift 2
done
[[ $workers =~ ^[0-9]+$ && $workers -ge 2 ]] || { echo "startup.sh: -w takes a number of workers, 2 or more" >&2; exit 2; }
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
tend=${1:-$here/../cli/src/main/launcher/tend}
[[ -x $tend ]] || { echo "startup.sh: $tend is not an executable tend launcher" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "startup.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
[[ -n ${EPOCHREALTIME-} ]] || { echo "startup.sh: needs bash 5 or newer" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tend-startup.XXXXXX")
export TEND_RUNTIME_DIR=$work/run
unset TEND_SOCKET TEND_STATE TEND_NAME
project=$work/bench
mkdir -p "$project" "$work/hello"
up_pid=

cleanup() {
    "$tend" down -c "$work/downs/tend.toml" >/dev/null 2>&1 || true
    if [[ -n $up_pid ]] && kill -0 "$up_pid" 2>/dev/null; then
        "$tend" down -c "$project/tend.toml" >/dev/null 2>&1 || kill "$up_pid" 2>/dev/null || true
        wait "$up_pid" 2>/dev/null || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT

# ---- the JDK, the flags and the hello-world -----------------------------------------------------

line=$(TEND_FAST=0 TEND_LAUNCHER_DEBUG=1 "$tend" --version 2>&1 >/dev/null | grep '^tend: Java ' | tail -n 1)
java_version=${line#tend: Java }
java_version=${java_version%%:*}
java=${line#tend: Java *: }
java=${java%% *}
flags=()
read -ra words <<<"${line#*"$java" }"
for word in "${words[@]}"; do
    case $word in
        -XX:AOTCache=* | -XX:SharedArchiveFile=* | -XX:+AutoCreateSharedArchive | -XX:ArchiveClassesAtExit=*) ;;
        -XX:* | -Xshare:* | -Xlog:* | -Xss* | -Xm* | -Xint) flags+=("$word") ;;
    esac
done
# The hello-world maps the JDK's own archive: -Xshare:auto stands where tend's AOT cache was.
[[ " ${flags[*]} " == *" -Xshare:auto "* ]] || flags+=(-Xshare:auto)
javac=${java%/java}/javac
[[ -x $javac ]] || javac=$(command -v javac) || { echo "startup.sh: needs javac (a JDK)" >&2; exit 2; }
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
    >"$work/hello/Hello.java"
"$javac" --release 17 -d "$work/hello" "$work/hello/Hello.java"
hello=("$java" "${flags[@]}" -cp "$work/hello" Hello)
[[ $("${hello[@]}" 2>&1) == hello ]] || { echo "startup.sh: the hello-world does not run: ${hello[*]}" >&2; exit 1; }

case ${TEND_CDS:-1} in
    0 | off | false | no) ;;
    *) TEND_CDS=train "$tend" --version >/dev/null ;;
esac

# ---- the instance ------------------------------------------------------------------------------

cat >"$project/tend.toml" <<EOF
[pool.idle]
command = ["cat"]
count = $((workers - 1))

[pool.pub]
command = ["sh", "-c", "env > \"\$TEND_INSTANCE_DIR/pub.env\"; exec cat"]
EOF
cd "$project"
"$tend" up >"$work/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 600); do
    [[ -f $TEND_RUNTIME_DIR/bench/pub.env ]] && "$tend" require "idle.$((workers - 1))" >/dev/null 2>&1 && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$work/up.log" >&2; exit 1; }
    sleep 0.1
done
# `tend set` runs as the worker pub.1 would: with its TEND_STATE, TEND_WORKER and TEND_STATE_TOKEN.
set_env=()
while IFS= read -r entry; do
    case $entry in TEND_STATE=* | TEND_WORKER=* | TEND_STATE_TOKEN=*) set_env+=("$entry") ;; esac
done <"$TEND_RUNTIME_DIR/bench/pub.env"

# A second, one-worker instance for `tend down`, started again (untimed) before each timed down.
mkdir -p "$work/downs"
printf '[pool.one]\ncommand = ["cat"]\n' >"$work/downs/tend.toml"
start_downs() {
    (cd "$work/downs" && "$tend" up >/dev/null 2>&1 &)
    for _ in $(seq 600); do
        "$tend" require -c "$work/downs/tend.toml" one.1 >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "startup.sh: the instance for tend down did not start" >&2
    exit 1
}

# ---- timing ------------------------------------------------------------------------------------

# elapsed CMD...: microseconds CMD takes, its output thrown away.
elapsed() {
    local t0 t1
    t0=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1 </dev/null || true
    t1=${EPOCHREALTIME/./}
    echo $((t1 - t0))
}

# peak CMD...: the peak RSS of CMD in KiB.
peak() {
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 </dev/null || true
    tail -n 1 "$work/rss"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# classes CMD...: the classes CMD loads: in all, and from JNA, a TOML parser, Gson and picocli.
classes() {
    local log=$work/classes.log
    rm -f "$log"
    TEND_JAVA_OPTS="${TEND_JAVA_OPTS:-} -Xlog:class+load=info:file=$log" "$@" >/dev/null 2>&1 </dev/null || true
    awk '/\[class,load\]/ { all++ }
        / com\.sun\.jna\./ { jna++ }
        / (com\.moandjiezana\.toml|org\.tomlj|org\.antlr)\./ { toml++ }
        / com\.google\.gson\./ { gson++ }
        / picocli\./ { picocli++ }
        END { printf "%5d %4d %4d %4d %7d", all, jna, toml, gson, picocli }' "$log"
}

# bench NAME BEFORE AFTER -- CMD...: times CMD against the hello-world; BEFORE and AFTER are shell
# commands run, untimed, around each run of CMD to keep the instance as it was.
bench() {
    local name=$1 before=$2 after=$3
    shift 4
    local a b i
    local -a as=() bs=() ratios=()
    eval "$before"
    elapsed "$@" >/dev/null
    eval "$after"
    elapsed "${hello[@]}" >/dev/null
    for ((i = 0; i < runs; i++)); do
        eval "$before"
        a=$(elapsed "$@")
        eval "$after"
        b=$(elapsed "${hello[@]}")
        as+=("$a")
        bs+=("$b")
        ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", a / b }')")
    done
    eval "$before"
    local rss_a
    rss_a=$(peak "$@")
    eval "$after"
    eval "$before"
    local loaded
    loaded=$(classes "$@")
    eval "$after"
    local rss_b
    rss_b=$(peak "${hello[@]}")
    printf '%-22s %8.1f %8.1f %7.2f %7.1f %7.1f   %s\n' "$name" \
        "$(printf '%s\n' "${as[@]}" | median | awk '{ print $1 / 1000 }')" \
        "$(printf '%s\n' "${bs[@]}" | median | awk '{ print $1 / 1000 }')" \
        "$(printf '%s\n' "${ratios[@]}" | median)" \
        "$(awk -v k="$rss_a" 'BEGIN { print k / 1024 }')" "$(awk -v k="$rss_b" 'BEGIN { print k / 1024 }')" \
        "$loaded"
}

t=$tend
c=(-c "$project/tend.toml")
echo "tend start-up: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) processors, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "launcher: $tend; Java $java_version ($java); $runs runs each, after one warm-up"
echo "JVM flags (tend and hello-world): ${flags[*]}"
echo "instance: $workers workers; medians; ratio: median of tend/hello-world per pair; RSS: peak, MiB"
echo
printf '%-22s %8s %8s %7s %7s %7s   %5s %4s %4s %4s %7s\n' command "tend ms" "hello ms" ratio "RSS" "RSS hw" \
    classes jna toml gson picocli
bench "--version" : : -- "$t" --version
bench "--version (JVM)" : : -- env TEND_FAST=0 "$t" --version
bench "help" : : -- "$t" help
bench "help (JVM)" : : -- env TEND_FAST=0 "$t" help
bench "ps --help" : : -- "$t" ps --help
bench "ls" : : -- "$t" ls
bench "ls (JVM)" : : -- env TEND_FAST=0 "$t" ls
bench "ps" : : -- "$t" ps
bench "ps -c FILE" : : -- "$t" ps "${c[@]}"
bench "ps --ready" : : -- "$t" ps --ready
bench "ps --ready (JVM)" : : -- env TEND_STATUS_FILE=0 "$t" ps --ready
bench "set n=1" : : -- env "${set_env[@]}" "$t" set n=1
bench "get pub.1" : : -- "$t" get pub.1
bench "get pub.1 n" : : -- "$t" get pub.1 n
bench "stop idle.1" : "$t start idle.1 >/dev/null" -- "$t" stop idle.1
bench "stop idle.1 (JVM)" : "$t start idle.1 >/dev/null" -- env TEND_FAST=0 "$t" stop idle.1
bench "start idle.1" "$t stop idle.1 >/dev/null" : -- "$t" start idle.1
bench "start idle.1 (JVM)" "$t stop idle.1 >/dev/null" : -- env TEND_FAST=0 "$t" start idle.1
bench "restart idle.1" : : -- "$t" restart idle.1
bench "scale idle N-1" : "$t scale idle $((workers - 1)) >/dev/null" -- "$t" scale idle $((workers - 2))
bench "reload" : : -- "$t" reload
bench "require idle.1" : : -- "$t" require idle.1
bench "logs -n 10" : : -- "$t" logs -n 10
bench "down (1 worker)" start_downs : -- "$t" down -c "$work/downs/tend.toml"
bench "down (1 worker, JVM)" start_downs : -- env TEND_FAST=0 "$t" down -c "$work/downs/tend.toml"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

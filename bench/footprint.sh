#!/usr/bin/env bash
# Memory and idle CPU of a running tend daemon, several builds or JVM settings side by side.
#
#   bench/footprint.sh [-w WORKERS] [-r ROUNDS] [-i IDLE] [-p] [-m] VARIANT...
#
# A VARIANT is one argument: optional NAME=VALUE words (environment for that daemon), then a launcher
# (an installed `tend` or cli/src/main/launcher/tend), then optional JVM options, which go into
# TEND_JAVA_OPTS (placed after the launcher's own flags, so they win). For example
#   bench/footprint.sh /tmp/a/bin/tend "/tmp/a/bin/tend -Xss256k" "MALLOC_ARENA_MAX=1 /tmp/b/bin/tend"
# Nothing is built here. For each variant, ROUNDS times (default 3), the variants taking turns, the script
#   1. starts a real instance (`tend up`, stdout to /dev/null) in a temporary directory, with its own
#      runtime directory and class-data cache (XDG_CACHE_HOME); a first run of each variant, not counted,
#      makes the daemon's archive, as a user's first `tend up` does;
#   2. waits until WORKERS (default 100) `sleep` workers run (children of the daemon): one pool of WORKERS, or
#      with -p one pool per worker (as ../shared/supervisor-bench configures tend);
#   3. 5 s later reads the daemon's VmRSS, Pss (smaps_rollup) and threads; IDLE s later (default 30) the
#      same again, and the CPU time (user + system) it used in between;
#   4. stops it (SIGTERM) and waits for it to end.
# Then it prints, per variant, the median of each figure over the rounds. With -m, also where the RSS of
# the last round's daemon goes at the second reading: resident KiB by mapping (libjvm.so, the class-data
# archives, other files, anonymous memory), from /proc/PID/smaps.
# RSS varies little between runs; CPU time on a shared machine varies more.
#
# Needs bash 5, awk.

set -euo pipefail

workers=100
rounds=3
idle=30
maps=
pools=
while getopts w:r:i:pm opt; do
    case $opt in
        w) workers=$OPTARG ;;
        r) rounds=$OPTARG ;;
        i) idle=$OPTARG ;;
        m) maps=1 ;;
        p) pools=1 ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
(($# > 0)) || { echo "usage: footprint.sh [-w WORKERS] [-r ROUNDS] [-i IDLE] [-p] [-m] VARIANT..." >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tend-footprint.XXXXXX")
unset TEND_SOCKET TEND_STATE TEND_NAME TEND_JAVA_OPTS
up_pid=

cleanup() {
    if [[ -n $up_pid ]] && kill -0 "$up_pid" 2>/dev/null; then
        kill "$up_pid" 2>/dev/null || true
        wait "$up_pid" 2>/dev/null || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT

if [[ -n $pools ]]; then
    {
        printf 'name = "footprint"\n'
        for ((i = 0; i < workers; i++)); do
            printf '\n[pool.w%d]\ncommand = ["sleep", "1000000"]\n' "$i"
        done
    } >"$work/tend.toml"
else
    cat >"$work/tend.toml" <<EOF
name = "footprint"

[pool.w]
command = ["sleep", "1000000"]
count = $workers
EOF
fi

# parse VARIANT: sets v_env (array of NAME=VALUE), v_tend and v_opts.
parse() {
    local words
    read -r -a words <<<"$1"
    v_env=()
    v_tend=
    v_opts=
    for w in "${words[@]}"; do
        if [[ -z $v_tend && $w == [A-Za-z_]*=* ]]; then
            v_env+=("$w")
        elif [[ -z $v_tend ]]; then
            v_tend=$w
        else
            v_opts="$v_opts${v_opts:+ }$w"
        fi
    done
    [[ -x $v_tend ]] || { echo "footprint.sh: $v_tend is not an executable tend launcher" >&2; exit 2; }
}

# children PID: how many `sleep` children the process has.
children() {
    local n=0 c comm
    # shellcheck disable=SC2013 # the files hold pids separated by spaces
    for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
        IFS= read -r comm 2>/dev/null <"/proc/$c/comm" || continue
        [[ $comm == sleep ]] && n=$((n + 1))
    done
    echo "$n"
}

kib() { awk -v key="$2:" '$1 == key { print $2; exit }' "$1"; }
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# start VARIANT_INDEX: starts the daemon of the variant and waits for its workers; sets up_pid.
start() {
    parse "${variants[$1]}"
    local dir=$work/v$1
    mkdir -p "$dir/cache"
    (
        cd "$dir"
        export TEND_RUNTIME_DIR=$dir/run XDG_CACHE_HOME=$dir/cache
        [[ -z $v_opts ]] || export TEND_JAVA_OPTS="$v_opts"
        exec env "${v_env[@]}" "$v_tend" up -c "$work/tend.toml" >/dev/null 2>"$dir/stderr"
    ) &
    up_pid=$!
    local deadline=$((SECONDS + 120))
    until (($(children "$up_pid") >= workers)); do
        kill -0 "$up_pid" 2>/dev/null || { echo "footprint.sh: tend ended; its stderr:" >&2; cat "$dir/stderr" >&2; exit 1; }
        ((SECONDS < deadline)) || { echo "footprint.sh: the workers did not all start within 120 s" >&2; exit 1; }
        sleep 0.1
    done
}

stop() {
    kill "$up_pid"
    wait "$up_pid" 2>/dev/null || true
    up_pid=
}

# mappings PID: resident KiB by kind of mapping.
mappings() {
    awk '
        /^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : ""
            if (name ~ /libjvm\.so/) kind = "libjvm.so"
            else if (name ~ /classes.*\.jsa$/) kind = "JDK class-data archive"
            else if (name ~ /\.(jsa|aot)$/) kind = "tend class-data archive"
            else if (name ~ /\/modules$/) kind = "JDK modules image"
            else if (name ~ /\.so/) kind = "other shared libraries"
            else if (name ~ /\.jar$/) kind = "jars"
            else if (name == "" || name ~ /^\[(heap|anon)/) kind = "anonymous (heap, metaspace, code, stacks, malloc)"
            else if (name ~ /^\[stack/) kind = "main thread stack"
            else kind = "other: " name
            next }
        /^Rss:/ { rss[kind] += $2; total += $2 }
        END { for (k in rss) printf "  %8d KiB  %s\n", rss[k], k; printf "  %8d KiB  total\n", total }
    ' "/proc/$1/smaps" | sort -rn
}

variants=("$@")
declare -A results
for i in "${!variants[@]}"; do
    start "$i"
    stop
done
for ((round = 1; round <= rounds; round++)); do
    for i in "${!variants[@]}"; do
        start "$i"
        sleep 5
        rss1=$(kib "/proc/$up_pid/status" VmRSS)
        pss1=$(kib "/proc/$up_pid/smaps_rollup" Pss)
        t1=$(ticks "$up_pid")
        sleep "$idle"
        t2=$(ticks "$up_pid")
        rss2=$(kib "/proc/$up_pid/status" VmRSS)
        pss2=$(kib "/proc/$up_pid/smaps_rollup" Pss)
        threads=$(kib "/proc/$up_pid/status" Threads)
        results[$i]+="$rss1 $pss1 $rss2 $pss2 $((t2 - t1)) $threads"$'\n'
        if [[ -n $maps && $round == "$rounds" ]]; then
            map_out[i]=$(mappings "$up_pid")
        fi
        stop
    done
done

hz=$(getconf CLK_TCK)
printf '%d workers, %d rounds, medians; RSS and PSS in MiB, CPU in s over %d s idle\n' "$workers" "$rounds" "$idle"
printf '%-8s %-8s %-8s %-8s %-7s %-7s %s\n' "RSS+5s" "PSS+5s" "RSS+$((idle + 5))s" "PSS+$((idle + 5))s" \
    CPU threads variant
for i in "${!variants[@]}"; do
    printf '%s' "${results[$i]}" | awk -v hz="$hz" -v name="${variants[$i]}" '
        { for (c = 1; c <= 6; c++) v[c, NR] = $c; n = NR }
        function median(c,   i, j, t, a) {
            for (i = 1; i <= n; i++) a[i] = v[c, i]
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        END { printf "%-8.1f %-8.1f %-8.1f %-8.1f %-7.2f %-7d %s\n", median(1) / 1024, median(2) / 1024,
                  median(3) / 1024, median(4) / 1024, median(5) / hz, median(6), name }'
done
if [[ -n $maps ]]; then
    for i in "${!variants[@]}"; do
        printf '\nResident by mapping, %s:\n%s\n' "${variants[$i]}" "${map_out[$i]}"
    done
fi

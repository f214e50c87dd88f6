# fish completions for tend. Generated from tend's command-line model; do not edit.
complete -c tend -f
# Names of the running tend (QUERY: the kinds of names, e.g. pool,lazy,worker,all) or the running instances
# (QUERY: instances), printed by the launcher: `tend __complete` is a shell script that reads the names
# file the instance keeps, so no JVM starts on a Tab.
function __tend_live -a query
    set -l words (commandline -opc)
    if test "$query" = instances
        $words[1] __complete instances 2>/dev/null
    else
        $words[1] __complete names $query $words[2..-1] 2>/dev/null
    end
end
# Whether the word being completed is the positional parameter MIN to MAX (-1: any after MIN) of the
# subcommand, counting past VALUE_OPTIONS, the options that take a value.
function __tend_position -a min max
    set -l value_options $argv[3..-1]
    set -l words (commandline -opc)
    set -l index 0
    set -l value 0
    string match -q -- '-*' (commandline -ct); and return 1
    for word in $words[3..-1]
        if test $value = 1
            set value 0
        else if contains -- $word $value_options
            set value 1
        else if not string match -q -- '-*' $word
            set index (math $index + 1)
        end
    end
    test $value = 0; and test $index -ge $min; and begin; test $max = -1; or test $index -le $max; end
end
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a up -d 'Run every pool and keep the workers alive.'
complete -c tend -n '__fish_seen_subcommand_from up' -s c -l config -r -F -d 'Configuration file (default: tend.toml in the current directory).'
complete -c tend -n '__fish_seen_subcommand_from up' -l log-format -r -d 'auto (colors on a terminal unless NO_COLOR is set), plain, color, or journal (sd-daemon <N> priority prefixes for journald). Default: auto.'
complete -c tend -n '__fish_seen_subcommand_from up' -l timestamps -d 'Start each line printed with the time tend read it (ISO 8601, milliseconds, UTC offset); also the top-level `timestamps = true`. Not in journal format.'
complete -c tend -n '__fish_seen_subcommand_from up' -l name -r -d 'Instance name (default: name in the config, else the config file\'s directory name).'
complete -c tend -n '__fish_seen_subcommand_from up' -l watch -d 'Restart a pool, one worker at a time, when files its watch key lists change (for development; off unless given, so production can keep watch in the file).'
complete -c tend -n '__fish_seen_subcommand_from up' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from up' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a check -d 'Validate the configuration without starting anything.'
complete -c tend -n '__fish_seen_subcommand_from check' -s c -l config -r -F -d 'Configuration file (default: tend.toml in the current directory).'
complete -c tend -n '__fish_seen_subcommand_from check' -l show -r -d 'Print the final command, cwd and environment of this pool or lazy declaration (secrets masked).'
complete -c tend -n '__fish_seen_subcommand_from check' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from check' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a ls -d 'List the running instances: name, config file, pid, uptime, workers ready.'
complete -c tend -n '__fish_seen_subcommand_from ls' -l json -d 'Print one JSON object: {"instances": [{name, pid, config, uptime_ms, ready, workers}, ...]}.'
complete -c tend -n '__fish_seen_subcommand_from ls' -l timeout -r -d 'How long to wait for each instance\'s answer (default: 2s).'
complete -c tend -n '__fish_seen_subcommand_from ls' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from ls' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a ps -d 'Show every worker: state, pid, readiness, restarts, published state.'
complete -c tend -n '__fish_seen_subcommand_from ps' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from ps' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from ps' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from ps' -l json -d 'Print the status as one JSON object (see docs/control-protocol.md).'
complete -c tend -n '__fish_seen_subcommand_from ps' -l ready -d 'Exit 0 if every worker is ready, 1 if not; print a one-line summary.'
complete -c tend -n '__fish_seen_subcommand_from ps' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from ps' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a status -d 'Show every worker: state, pid, readiness, restarts, published state.'
complete -c tend -n '__fish_seen_subcommand_from status' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from status' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from status' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from status' -l json -d 'Print the status as one JSON object (see docs/control-protocol.md).'
complete -c tend -n '__fish_seen_subcommand_from status' -l ready -d 'Exit 0 if every worker is ready, 1 if not; print a one-line summary.'
complete -c tend -n '__fish_seen_subcommand_from status' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from status' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a start -d 'Start workers, pools or all, and wait until they are ready.'
complete -c tend -n '__fish_seen_subcommand_from start' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from start' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from start' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from start' -l no-wait -d 'Return at once instead of when the action is done.'
complete -c tend -n '__fish_seen_subcommand_from start' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from start' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from start; and __tend_position 0 -1 -c --config --name --timeout' -a '(__tend_live pool,lazy,worker,all)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a stop -d 'Stop workers, pools or all gracefully, and hold them stopped.'
complete -c tend -n '__fish_seen_subcommand_from stop' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from stop' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from stop' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from stop' -l no-wait -d 'Return at once instead of when the action is done.'
complete -c tend -n '__fish_seen_subcommand_from stop' -l with-dependents -d 'Also stop the workers that depend on the targets, directly or not: they first, the targets once they are gone.'
complete -c tend -n '__fish_seen_subcommand_from stop' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from stop' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from stop; and __tend_position 0 -1 -c --config --name --timeout' -a '(__tend_live pool,lazy,worker,all)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a restart -d 'Restart workers, pools or all, and wait until they are ready.'
complete -c tend -n '__fish_seen_subcommand_from restart' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from restart' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from restart' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from restart' -l no-wait -d 'Return at once instead of when the action is done.'
complete -c tend -n '__fish_seen_subcommand_from restart' -l rolling -d 'One target at a time: each is started again and ready before the next is stopped. The restart stops at the first target not ready within 60s; the rest keep running.'
complete -c tend -n '__fish_seen_subcommand_from restart' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from restart' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from restart; and __tend_position 0 -1 -c --config --name --timeout' -a '(__tend_live pool,lazy,worker,all)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a scale -d 'Set how many workers a pool runs.'
complete -c tend -n '__fish_seen_subcommand_from scale' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from scale' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from scale' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from scale' -l no-wait -d 'Return at once instead of when the change is done.'
complete -c tend -n '__fish_seen_subcommand_from scale' -l force -d 'Scale a named worker (a pool whose count is 1) past one all the same.'
complete -c tend -n '__fish_seen_subcommand_from scale' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from scale' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from scale; and __tend_position 0 0 -c --config --name --timeout' -a '(__tend_live pool)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a logs -d 'Print recent output of workers; -f follows it.'
complete -c tend -n '__fish_seen_subcommand_from logs' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from logs' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from logs' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from logs' -s n -l lines -r -d 'How many recent lines to print first (default: 100; with --since, every line since then).'
complete -c tend -n '__fish_seen_subcommand_from logs' -s f -l follow -d 'Keep printing new lines.'
complete -c tend -n '__fish_seen_subcommand_from logs' -l since -r -d 'Only lines since then: a duration ago (10m, 2h, 1h30m) or a local time (2026-12-04T10:00, 2026-12-04 10:00:05, 2026-12-04, or with an offset).'
complete -c tend -n '__fish_seen_subcommand_from logs' -s t -l timestamps -d 'Start each line with the time tend read it.'
complete -c tend -n '__fish_seen_subcommand_from logs' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from logs' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from logs; and __tend_position 0 -1 -c --config --name --timeout -n --lines --since' -a '(__tend_live pool,lazy,worker)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a reload -d 'Apply the configuration file to the running tend.'
complete -c tend -n '__fish_seen_subcommand_from reload' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from reload' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from reload' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from reload' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from reload' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a down -d 'Stop every worker and end tend up.'
complete -c tend -n '__fish_seen_subcommand_from down' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from down' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from down' -l timeout -r -d 'How long tend may take to answer: to accept the connection, then between messages (default: 10s, or $TEND_TIMEOUT; 0 waits forever). A busy tend keeps answering; a stopped or stuck one does not.'
complete -c tend -n '__fish_seen_subcommand_from down' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from down' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a require -d 'Start named workers on demand and wait until they are ready.'
complete -c tend -n '__fish_seen_subcommand_from require' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from require' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from require' -l timeout -r -d 'How long to wait for readiness, and for tend to answer at all (default: 30s).'
complete -c tend -n '__fish_seen_subcommand_from require' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from require' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from require; and __tend_position 0 -1 -c --config --name --timeout' -a '(__tend_live worker,pool)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a run -d 'Start every pool, run a command once all are ready, then stop everything.'
complete -c tend -n '__fish_seen_subcommand_from run' -s c -l config -r -F -d 'Configuration file (default: tend.toml in the current directory).'
complete -c tend -n '__fish_seen_subcommand_from run' -l log-format -r -d 'auto (colors on a terminal unless NO_COLOR is set), plain, color, or journal (sd-daemon <N> priority prefixes for journald). Default: auto.'
complete -c tend -n '__fish_seen_subcommand_from run' -l timestamps -d 'Start each line printed with the time tend read it (ISO 8601, milliseconds, UTC offset); also the top-level `timestamps = true`. Not in journal format.'
complete -c tend -n '__fish_seen_subcommand_from run' -l name -r -d 'Instance name (default: name in the config, else the config file\'s directory name).'
complete -c tend -n '__fish_seen_subcommand_from run' -l watch -d 'Restart a pool, one worker at a time, when files its watch key lists change (for development; off unless given, so production can keep watch in the file).'
complete -c tend -n '__fish_seen_subcommand_from run' -l ready-timeout -r -d 'How long the workers have to become ready (default: 60s).'
complete -c tend -n '__fish_seen_subcommand_from run' -l ignore-worker-failure -d 'Exit with COMMAND\'s exit code even if a worker was given up while it ran (default: exit 1 then).'
complete -c tend -n '__fish_seen_subcommand_from run' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from run' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a set -d 'Publish this worker\'s snapshot of state (from inside a worker).'
complete -c tend -n '__fish_seen_subcommand_from set' -l json -r -d 'The snapshot as one JSON object; - reads it from stdin.'
complete -c tend -n '__fish_seen_subcommand_from set' -l merge -d 'Start from the current snapshot instead of an empty one.'
complete -c tend -n '__fish_seen_subcommand_from set' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from set' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a get -d 'Read the state a worker published.'
complete -c tend -n '__fish_seen_subcommand_from get' -s c -l config -r -F -d 'Talk to the instance running this configuration file (default: ./tend.toml).'
complete -c tend -n '__fish_seen_subcommand_from get' -l name -r -f -a '(__tend_live instances)' -d 'Talk to the instance with this name.'
complete -c tend -n '__fish_seen_subcommand_from get' -l json -d 'Print JSON: the whole slot, or the value (a string or {"base64": ...}).'
complete -c tend -n '__fish_seen_subcommand_from get' -l wait -r -d 'Wait up to DURATION for the slot (and key) to be published.'
complete -c tend -n '__fish_seen_subcommand_from get' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from get' -s V -l version -d 'Print version information and exit.'
complete -c tend -n '__fish_seen_subcommand_from get; and __tend_position 0 0 -c --config --name --wait' -a '(__tend_live worker)'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a systemd -d 'Print a systemd service unit for the configuration.'
complete -c tend -n '__fish_seen_subcommand_from systemd' -s c -l config -r -F -d 'Configuration file (default: tend.toml in the current directory).'
complete -c tend -n '__fish_seen_subcommand_from systemd' -l user -d 'A user unit (systemctl --user): WantedBy=default.target.'
complete -c tend -n '__fish_seen_subcommand_from systemd' -l watchdog -r -d 'Add WatchdogSec=DURATION; tend pings from its event loop at half that interval.'
complete -c tend -n '__fish_seen_subcommand_from systemd' -l notify-reload -d 'Type=notify-reload (systemd 253+): systemd reloads with SIGHUP instead of ExecReload.'
complete -c tend -n '__fish_seen_subcommand_from systemd' -l launcher -r -F -d 'The tend launcher for ExecStart (default: the one running now, else `tend` on PATH).'
complete -c tend -n '__fish_seen_subcommand_from systemd' -s h -l help -d 'Show this help message and exit.'
complete -c tend -n '__fish_seen_subcommand_from systemd' -s V -l version -d 'Print version information and exit.'
complete -c tend -n 'not __fish_seen_subcommand_from up check ls ps status start stop restart scale logs reload down require run set get systemd help' -a help -d 'Display help information about the specified command.'
complete -c tend -n '__fish_seen_subcommand_from help' -s h -l help -d 'Show usage help for the help command and exit.'

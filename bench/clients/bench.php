<?php

declare(strict_types=1);

// Part of bench/clients.sh: the PHP client's reads next to php-redis GETs.
require __DIR__ . '/../../clients/php/src/autoload.php';

$n = (int) getenv('BENCH_ITERATIONS');

/** This process's CPU time (user + system), in ns. */
function cpu_ns(): int
{
    $u = getrusage();
    return ($u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec']) * 1_000_000_000 + ($u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec']) * 1000;
}

/**
 * Median over 5 rounds (after a warm-up round) of the mean time of one call, in µs: wall time, and this
 * process's CPU time (which a loaded machine inflates less; for Redis it leaves out the server's part).
 *
 * @return array{float,float}
 */
function time_it(int $n, callable $body): array
{
    $wall = $cpu = [];
    for ($r = 0; $r < 6; $r++) {
        $c = cpu_ns();
        $t = hrtime(true);
        $body($n);
        $wall[] = (hrtime(true) - $t) / $n / 1000;
        $cpu[] = (cpu_ns() - $c) / $n / 1000;
    }
    array_shift($wall);
    array_shift($cpu);
    sort($wall);
    sort($cpu);
    return [$wall[2], $cpu[2]];
}

/** @param array{float,float} $micros */
function row(string $what, array $micros): void
{
    printf("%-58s %9.3f µs %9.3f µs\n", $what, $micros[0], $micros[1]);
}

foreach (['FFI mapping' => true, 'fread' => false] as $how => $ffi) {
    if ($ffi && !Tend\MappedSource::usable()) {
        continue;
    }
    $state = Tend\State::open(null, $ffi);
    $state->get('kib');
    $n = $ffi ? (int) getenv('BENCH_ITERATIONS') : intdiv((int) getenv('BENCH_ITERATIONS'), 10);   // system calls
    // A changed snapshot with the same keys (the common case): the cached version is made stale before each
    // read, so every get() runs the whole read protocol and the decode (skipping the checks of known keys).
    $reset = Closure::bind(function (): void {
        foreach ($this->cache as $d => $entry) {
            $this->cache[$d][0] = -1;
        }
    }, $state, Tend\State::class);
    row("php ($how): version('kib'), unchanged", time_it($n, function (int $n) use ($state) {
        for ($i = 0; $i < $n; $i++) {
            $state->version('kib');
        }
    }));
    row("php ($how): get('kib'), unchanged (the cached array)", time_it($n, function (int $n) use ($state) {
        for ($i = 0; $i < $n; $i++) {
            $state->get('kib');
        }
    }));
    row("php ($how): get('kib'), read and decode the 1 KiB", time_it(intdiv($n, 10), function (int $n) use ($state, $reset) {
        for ($i = 0; $i < $n; $i++) {
            $reset();
            $state->get('kib');
        }
    }));
}
$n = (int) getenv('BENCH_ITERATIONS');
$redis = new Redis();
$redis->connect('127.0.0.1', (int) getenv('BENCH_REDIS_PORT'));
row('php (php-redis): GET tiny (2 bytes)', time_it(intdiv($n, 20), function (int $n) use ($redis) {
    for ($i = 0; $i < $n; $i++) {
        $redis->get('tiny');
    }
}));
row('php (php-redis): GET kib (1 KiB)', time_it(intdiv($n, 20), function (int $n) use ($redis) {
    for ($i = 0; $i < $n; $i++) {
        $redis->get('kib');
    }
}));

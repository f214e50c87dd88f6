<?php

declare(strict_types=1);

// Part of bench/clients.sh: the PHP client's reads next to php-redis GETs.
require __DIR__ . '/../../clients/php/src/autoload.php';

$n = (int) getenv('BENCH_ITERATIONS');

/** Median over 5 rounds (after a warm-up round) of the mean time of one call, in µs. */
function time_it(int $n, callable $body): float
{
    $rounds = [];
    for ($r = 0; $r < 6; $r++) {
        $t = hrtime(true);
        $body($n);
        $rounds[] = (hrtime(true) - $t) / $n / 1000;
    }
    array_shift($rounds);
    sort($rounds);
    return $rounds[2];
}

function row(string $what, float $micros): void
{
    printf("%-58s %9.3f µs\n", $what, $micros);
}

foreach (['FFI mapping' => true, 'fread' => false] as $how => $ffi) {
    if ($ffi && !Tend\MappedSource::usable()) {
        continue;
    }
    $state = Tend\State::open(null, $ffi);
    $state->get('kib');
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

<?php

declare(strict_types=1);

use Tend\NotFoundException;
use Tend\State;
use Tend\StateException;

// Runs every reading test through fread and, where FFI is usable, through the mapping.
foreach (Tend\MappedSource::usable() ? ['fread' => false, 'ffi' => true] : ['fread' => false] as $how => $ffi) {
    Check::test("$how: a worker's snapshot, binary-safe, with numbers and booleans as their JSON text", function () use ($ffi) {
        $state = State::open(null, $ffi);
        Check::same($ffi, $state->mapped());
        $data = $state->get('publisher');
        Check::same('héllo ✓', $data['text']);
        Check::same("\0\xff\xfe", $data['bin']);
        Check::same('', $data['empty']);
        Check::same('17', $data['n']);
        Check::same('true', $data['yes']);
        Check::same('значение', $data['ключ']);
        Check::same('значение', $state->value('publisher.1', 'ключ'));
        Check::same(null, $state->value('publisher', 'nokey'));
        $keys = array_map('strval', array_keys($data));
        Check::same(['again', 'bin', 'empty', 'empty_key', 'first', 'n', 'text', 'too_big', 'yes', 'ключ'], $keys, 'canonical order');
    });

    Check::test("$how: the same array while the version is unchanged, a new one after a publish", function () use ($ffi) {
        $state = State::open(null, $ffi);
        $first = $state->get('jobs');
        $version = $state->version('jobs');
        Check::true($first === $state->get('jobs'), 'the cached array is returned');
        Check::await(5, 'a new publish by jobs.1', fn () => $state->version('jobs') > $version);
        $next = $state->get('jobs');
        Check::true($next !== $first, 'a new array after a publish');
        Check::true($state->getMany(['jobs'])['jobs'] === $state->get('jobs'), 'getMany shares the cache');
    });

    Check::test("$how: the slot's version, owner and liveness", function () use ($ffi) {
        $state = State::open(null, $ffi);
        $slot = $state->slot('publisher');
        Check::same('publisher.1', $slot->name);
        Check::same('publisher', $slot->pool);
        Check::same('running', $slot->ownerState);
        Check::true($slot->running && $state->ownerRunning('publisher'), 'the owner runs');
        Check::true($state->supervisorAlive(), 'tend runs');
        $ps = array_column((new Tend\Control())->ps(), null, 'name');
        Check::same($ps['publisher.1']['pid'], $slot->ownerPid, 'the pid tend ps shows');
        Check::same($ps['publisher.1']['state_version'], $slot->version, 'the version tend ps shows');
        Check::true($slot->ageMillis() >= 0, 'an age');
        Check::same($slot->data, $state->get('publisher'));
    });

    Check::test("$how: names that are not found or are ambiguous", function () use ($ffi) {
        $state = State::open(null, $ffi);
        Check::contains('no worker named nobody', Check::throws(NotFoundException::class, fn () => $state->get('nobody'))->getMessage());
        Check::contains('publisher.1', implode(' ', $state->names()));
        Check::throws(NotFoundException::class, fn () => State::open('/nonexistent/state', $ffi));
    });

    Check::test("$how: a damaged file is refused with what is wrong", function () use ($ffi) {
        $copy = damaged(fn ($h) => poke($h, 8, pack('V', 3)));
        Check::contains('has layout version 3.1; this reader understands 2.x only',
            Check::throws(StateException::class, fn () => State::open($copy, $ffi))->getMessage());
        $copy = damaged(fn ($h) => poke($h, 0, 'NOTSTATE'));
        Check::contains('is not a tend state file (bad magic number)', Check::throws(StateException::class, fn () => State::open($copy, $ffi))->getMessage());
        $copy = damaged(fn ($h) => poke($h, 64, pack('P', 1 << 40)));
        Check::contains('is impossible', Check::throws(StateException::class, fn () => State::open($copy, $ffi)->get('publisher'))->getMessage());
        // The publisher's payload: an entry count that runs past the end, behind a valid sequence word.
        $copy = damaged(function ($h) {
            $d = 4096 + 256; // slot 0: publisher.1
            $version = unpack('P', peek($h, $d, 8))[1];
            $buffer = unpack('P', peek($h, $d + 8 + 8 * ($version & 1), 8))[1];
            poke($h, $buffer + 64, pack('V', 1000));
        });
        Check::contains('has a malformed payload', Check::throws(StateException::class, fn () => State::open($copy, $ffi)->get('publisher'))->getMessage());
    });
}

/** A copy of the running instance's state file, changed by $change (given a read-write handle). */
function damaged(callable $change): string
{
    $copy = tempnam(sys_get_temp_dir(), 'tend-state-');
    register_shutdown_function(static fn () => @unlink($copy));
    copy(getenv('TEND_STATE'), $copy);
    $h = fopen($copy, 'r+b');
    $change($h);
    fclose($h);
    return $copy;
}

function poke($h, int $offset, string $bytes): void
{
    fseek($h, $offset);
    fwrite($h, $bytes);
}

function peek($h, int $offset, int $length): string
{
    fseek($h, $offset);
    return fread($h, $length);
}

<?php

declare(strict_types=1);

/** Registration and assertions for run.php. */
final class Check
{
    /** @var array<string,callable> */
    public static array $tests = [];

    public static function test(string $name, callable $test): void
    {
        self::$tests[$name] = $test;
    }

    public static function same(mixed $expected, mixed $actual, string $what = ''): void
    {
        if ($expected !== $actual) {
            throw new AssertionError(($what === '' ? '' : "$what: ") . 'expected ' . var_export($expected, true) . ', got ' . var_export($actual, true));
        }
    }

    public static function true(bool $condition, string $what): void
    {
        if (!$condition) {
            throw new AssertionError($what);
        }
    }

    public static function contains(string $needle, string $haystack, string $what = ''): void
    {
        if (!str_contains($haystack, $needle)) {
            throw new AssertionError(($what === '' ? '' : "$what: ") . var_export($needle, true) . ' not in ' . var_export($haystack, true));
        }
    }

    /** @template T of Throwable @param class-string<T> $class @return T */
    public static function throws(string $class, callable $code): Throwable
    {
        try {
            $code();
        } catch (Throwable $e) {
            if ($e instanceof $class) {
                return $e;
            }
            throw new AssertionError("expected $class, got " . get_class($e) . ': ' . $e->getMessage());
        }
        throw new AssertionError("expected $class, nothing was thrown");
    }

    /** Polls $condition until it is true or $seconds pass. */
    public static function await(float $seconds, string $what, callable $condition): void
    {
        $deadline = microtime(true) + $seconds;
        while (!$condition()) {
            if (microtime(true) > $deadline) {
                throw new AssertionError("waited {$seconds}s for $what");
            }
            usleep(10_000);
        }
    }
}

<?php

declare(strict_types=1);

namespace Tend;

/** Why a worker failed or was not ready in time: the failure report of docs/control-protocol.md. */
final class FailureReport
{
    /** @param list<string> $stderr the last lines its last attempt wrote on stderr, oldest first */
    public function __construct(
        public readonly string $worker,
        public readonly string $pool,
        public readonly string $command,
        public readonly string $reason,
        public readonly string $lastExit,
        public readonly int $attempts,
        public readonly int $ranForMillis,
        public readonly array $stderr,
    ) {
    }

    /** @param array<string,mixed> $fields a failure report as the control socket sends it */
    public static function fromJson(array $fields): self
    {
        return new self((string) ($fields['worker'] ?? ''), (string) ($fields['pool'] ?? ''),
            (string) ($fields['command'] ?? ''), (string) ($fields['reason'] ?? ''), (string) ($fields['last_exit'] ?? ''),
            (int) ($fields['attempts'] ?? 0), (int) ($fields['ran_for_ms'] ?? 0), array_map('strval', $fields['stderr'] ?? []));
    }

    /** A duration as tend prints one (dev.tend.text.Human.duration): 10ms, 1.5s, 2m30s. */
    private static function duration(int $ms): string
    {
        if ($ms < 1000) {
            return "{$ms}ms";
        }
        if ($ms % 1000 !== 0) {
            return ($ms / 1000) . 's';
        }
        $s = intdiv($ms, 1000);
        return ($s >= 3600 ? intdiv($s, 3600) . 'h' : '') . ($s % 3600 >= 60 ? intdiv($s % 3600, 60) . 'm' : '') . ($s % 60 > 0 ? ($s % 60) . 's' : '');
    }

    /** The report as tend require prints it. */
    public function text(): string
    {
        $lines = ["{$this->worker} {$this->reason}", "  pool:      {$this->pool}", "  command:   {$this->command}",
            "  last exit: {$this->lastExit}" . ($this->ranForMillis === 0 ? '' : ' after running ' . self::duration($this->ranForMillis)),
            "  attempts:  {$this->attempts}"];
        if ($this->stderr === []) {
            $lines[] = '  stderr:    (nothing)';
        } else {
            $lines[] = '  last lines of stderr:';
            foreach ($this->stderr as $line) {
                $lines[] = "    $line";
            }
        }
        return implode("\n", $lines);
    }
}

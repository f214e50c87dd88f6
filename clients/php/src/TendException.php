<?php

declare(strict_types=1);

namespace Tend;

/**
 * A request tend answered with ok = false, or could not be made. getCode() is tend's exit code for it
 * (1 failure, 2 usage, 3 not found or not running, 4 timeout); failures holds the workers' reports.
 */
final class TendException extends \RuntimeException
{
    /** @param list<FailureReport> $failures */
    public function __construct(string $message, int $code = 1, public readonly array $failures = [])
    {
        parent::__construct($message, $code);
    }

    /** The message followed by each failure report, as tend require prints them. */
    public function report(): string
    {
        return implode("\n", array_merge([$this->getMessage()], array_map(fn (FailureReport $f) => $f->text(), $this->failures)));
    }
}

<?php

declare(strict_types=1);

namespace Tend;

/**
 * tend's stop request: end of file on stdin (docs/worker-contract.md). tend never writes to stdin, so the
 * stream becomes readable exactly when tend asks the worker to stop.
 */
final class Stop
{
    /** @var resource */
    private $stream;
    private bool $requested = false;

    /** @param resource|null $stream stdin by default */
    public function __construct($stream = null)
    {
        $this->stream = $stream ?? fopen('php://stdin', 'rb');
        stream_set_blocking($this->stream, false);
    }

    /** The stream to put in a stream_select() read set next to the worker's own: readable means "stop". */
    public function stream()
    {
        return $this->stream;
    }

    /** Whether tend asked this worker to stop, waiting up to $seconds for it (0: just look; null: until it does). */
    public function requested(float|int|null $seconds = 0): bool
    {
        if ($this->requested) {
            return true;
        }
        $read = [$this->stream];
        $none = null;
        $ready = $seconds === null
            ? @stream_select($read, $none, $none, null)
            : @stream_select($read, $none, $none, (int) $seconds, (int) round(fmod((float) $seconds, 1.0) * 1e6));
        if ($ready > 0) {
            // Anything read is stray input; end of file is the request.
            while (($chunk = fread($this->stream, 8192)) !== false && $chunk !== '') {
            }
            $this->requested = feof($this->stream);
        }
        return $this->requested;
    }

    /**
     * Calls $job until tend asks the worker to stop: the job in hand is always finished first, then it returns.
     * $job should return within a bounded time (for example a blocking pop with a 1 s timeout), so that the
     * request is noticed within tend's grace. Returns how many times $job ran.
     */
    public function runJobs(callable $job): int
    {
        $runs = 0;
        while (!$this->requested()) {
            $job();
            $runs++;
        }
        return $runs;
    }
}

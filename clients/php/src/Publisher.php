<?php

declare(strict_types=1);

namespace Tend;

/**
 * Publishes this worker's state through tend: one JSON object per line on the pipe in TEND_STATE_FD (fd 3),
 * which tend publishes into the worker's own slot (docs/worker-contract.md). A snapshot equal to the last one
 * published through this object is skipped without a write; tend also keeps the version of a snapshot equal
 * to the slot's current one.
 */
final class Publisher
{
    private const MAX_KEY_LENGTH = 1024;
    /** @var resource */
    private $pipe;
    /** @var array<string,string>|null */
    private ?array $last = null;

    /**
     * @param resource|null $pipe the state pipe; null opens the one in TEND_STATE_FD
     * @param int|null $maxSnapshot the state file's limit, checked here so that a snapshot tend would refuse
     *        throws at once instead of becoming a warning in tend's output; null reads it from TEND_STATE
     */
    public function __construct($pipe = null, private ?int $maxSnapshot = null)
    {
        if ($pipe === null) {
            $fd = getenv('TEND_STATE_FD');
            if ($fd === false || $fd === '') {
                throw new PublishException('TEND_STATE_FD is not set: publish from inside a worker started by tend');
            }
            $pipe = @fopen("php://fd/$fd", 'wb');
            if ($pipe === false) {
                throw new PublishException("cannot open the state pipe, fd $fd");
            }
            if ($maxSnapshot === null && getenv('TEND_STATE')) {
                try {
                    $state = State::open(null, false);
                    $this->maxSnapshot = $state->maxSnapshot;
                    $state->close();
                } catch (StateException) {
                    // tend checks the size too; a file that cannot be read here only loses the early check
                }
            }
        }
        $this->pipe = $pipe;
    }

    /**
     * Replaces the worker's snapshot. Values: strings (binary-safe), ints, floats and bools (published as
     * their JSON text: 17, true). Returns false when it equals the last one published here: nothing is written.
     *
     * @param array<string|int,string|int|float|bool> $data
     */
    public function publish(array $data): bool
    {
        $encoded = [];
        foreach ($data as $key => $value) {
            $key = (string) $key;
            if ($key === '' || strlen($key) > self::MAX_KEY_LENGTH || preg_match('//u', $key) !== 1) {
                throw new PublishException(sprintf('key "%s" is not 1 to %d bytes of UTF-8', substr($key, 0, 40), self::MAX_KEY_LENGTH));
            }
            $encoded[$key] = match (true) {
                is_string($value) => $value,
                is_bool($value) => $value ? 'true' : 'false',
                is_int($value), is_float($value) => json_encode($value),
                default => throw new PublishException("the value of $key must be a string, int, float or bool, not " . get_debug_type($value)),
            };
        }
        ksort($encoded, SORT_STRING);
        if ($encoded === $this->last) {
            return false;
        }
        $size = 4;
        foreach ($encoded as $key => $value) {
            $size += 8 + strlen((string) $key) + strlen($value);
        }
        if ($this->maxSnapshot !== null && $size > $this->maxSnapshot) {
            throw new PublishException("snapshot of $size bytes exceeds the state file's limit of {$this->maxSnapshot} bytes (state.max_snapshot)");
        }
        $json = [];
        foreach ($encoded as $key => $value) {
            $json[(string) $key] = preg_match('//u', $value) === 1 ? $value : ['base64' => base64_encode($value)];
        }
        $this->write(json_encode((object) $json, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR) . "\n");
        $this->last = $encoded;
        return true;
    }

    /** Rings the doorbell (an empty line): makes a ready = "publish" worker ready without publishing. */
    public function ready(): void
    {
        $this->write("\n");
    }

    private function write(string $line): void
    {
        for ($done = 0, $n = strlen($line); $done < $n; $done += $written) {
            $written = fwrite($this->pipe, substr($line, $done));
            if ($written === false || $written === 0) {
                throw new PublishException('cannot write to the state pipe (has tend gone?)');
            }
        }
        fflush($this->pipe);
    }
}

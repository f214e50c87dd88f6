<?php

declare(strict_types=1);

namespace Tend;

/** A slot as tend get shows it (docs/state-file.md section 12): its snapshot, owner and whether it runs. */
final class Slot
{
    /** @param array<string,string> $data */
    public function __construct(
        public readonly string $name,
        public readonly string $pool,
        public readonly int $version,
        public readonly int $publishedAtMillis,
        public readonly string $ownerState,
        public readonly int $ownerPid,
        public readonly bool $running,
        public readonly array $data,
    ) {
    }

    /** Milliseconds since it was published, or null for version 0 (never published). */
    public function ageMillis(): ?int
    {
        return $this->version === 0 ? null : max(0, (int) floor(microtime(true) * 1000) - $this->publishedAtMillis);
    }

    /** The JSON shape of tend get --json, as PHP values (binary values as ['base64' => …]). */
    public function toJson(): array
    {
        $data = [];
        foreach ($this->data as $key => $value) {
            $data[(string) $key] = preg_match('//u', $value) === 1 ? $value : ['base64' => base64_encode($value)];
        }
        return [
            'name' => $this->name,
            'version' => $this->version,
            'age_ms' => $this->ageMillis(),
            'owner' => ['state' => $this->ownerState, 'pid' => $this->ownerPid, 'running' => $this->running],
            'data' => (object) $data,
        ];
    }
}

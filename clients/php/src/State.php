<?php

declare(strict_types=1);

namespace Tend;

/**
 * A tend instance's state file (docs/state-file.md, layout 2.x), read without tend.
 *
 * get() returns the same PHP array for as long as a slot's version is unchanged, so `$a === $b` between two
 * reads is answered in O(1) and whatever a caller derived from the array can be kept. Reads never wait for a
 * publisher and write nothing. Not shared between processes; cheap to keep open for a process's lifetime.
 *
 * PHP reads whole aligned 8-byte words with one read(2) each; the read protocol (version, sequence check,
 * copy, sequence re-check) catches a torn payload, and x86-64 keeps the loads in order (TSO).
 */
final class State
{
    public const OWNER_STATES = ['none', 'starting', 'running', 'stopping', 'backoff', 'exited', 'stopped', 'failed', 'removed'];
    private const MAGIC = 'TENDSTAT';
    private const LAYOUT_MAJOR = 2;
    private const FIRST_BLOCK = 4096;
    private const BLOCK_LENGTH = 16384;
    private const INITIAL_ALLOC_END = 20480;
    private const BLOCK_HEADER = 256;
    private const DESCRIPTOR_LENGTH = 256;
    private const SLOTS_PER_BLOCK = 63;
    private const MAX_KEY_LENGTH = 1024;
    private const RUNNING = 2;
    private const REMOVED = 8;
    /** Retries with an unchanged published version before the slot is called corrupt (section 5). */
    private const STUCK_LIMIT = 100000;

    public readonly int $maxSnapshot;
    public readonly int $supervisorPid;
    private int $supervisorStartTicks;
    /** @var list<int> table block offsets, block 0 first */
    private array $blocks = [self::FIRST_BLOCK];
    /** @var array<string,int> slot name => descriptor offset: slots never move nor change names */
    private array $descriptors = [];
    /** @var array<string,array{int,int}> pool name => [slot count when resolved, descriptor offset] */
    private array $pools = [];
    /** @var array<int,array{int,int,string,array<string,string>,int}> descriptor => [version, publishedAt, name, data, length] */
    private array $cache = [];

    private function __construct(public readonly string $path, private readonly Source $source)
    {
        $this->checkHeader();
    }

    /**
     * Opens the state file at $path, or the one in TEND_STATE (set in every worker and in tend run's command).
     * $ffi: null = map it through FFI when FFI is usable here, else fread; true = FFI or fail; false = fread.
     */
    public static function open(?string $path = null, ?bool $ffi = null): self
    {
        if ($path === null) {
            $path = getenv('TEND_STATE');
            if ($path === false || $path === '') {
                throw new NotFoundException('TEND_STATE is not set: this process was not started by tend; '
                    . "pass the state file's path (<runtime dir>/state)");
            }
        }
        $source = ($ffi ?? MappedSource::usable()) ? new MappedSource($path) : new FileSource($path);
        return new self($path, $source);
    }

    public function close(): void
    {
        $this->source->close();
    }

    /** Whether reads go through an FFI mapping (else through fread). */
    public function mapped(): bool
    {
        return $this->source instanceof MappedSource;
    }

    private function checkHeader(): void
    {
        $size = $this->source->size();
        if ($size < self::INITIAL_ALLOC_END) {
            throw new StateException("{$this->path} is not a tend state file: it is only $size bytes long");
        }
        $h = $this->source->read(0, 48);
        $fields = unpack('a8magic/Vmajor/Vminor/Pready/Pmax/Ppid/Pticks', $h);
        if ($fields['ready'] === 0 && ($fields['magic'] === self::MAGIC || $fields['magic'] === str_repeat("\0", 8))) {
            throw new StateException("state file {$this->path} is not ready: its creator has not finished writing it");
        }
        if (substr($h, 0, 8) !== self::MAGIC) {
            throw new StateException("{$this->path} is not a tend state file (bad magic number)");
        }
        if ($fields['major'] !== self::LAYOUT_MAJOR) {
            throw new StateException(sprintf('state file %s has layout version %d.%d; this reader understands %d.x only',
                $this->path, $fields['major'], $fields['minor'], self::LAYOUT_MAJOR));
        }
        if ($fields['ready'] !== 1 && $fields['ready'] !== 2) {
            throw new StateException("state file {$this->path} has an unknown ready state {$fields['ready']}");
        }
        $this->maxSnapshot = $fields['max'];
        $this->supervisorPid = $fields['pid'];
        $this->supervisorStartTicks = $fields['ticks'];
    }

    private function corrupt(string $detail): StateException
    {
        return new StateException("state file {$this->path} is corrupt: $detail");
    }

    /** Whether the tend that created the file still runs (section 8): ready, same pid, same start time. */
    public function supervisorAlive(): bool
    {
        if ($this->source->u64(16) !== 1) {
            return false;
        }
        $stat = @file_get_contents("/proc/{$this->supervisorPid}/stat");
        if ($stat === false) {
            return false;
        }
        // Field 2 (the command) is in parentheses and may hold spaces: count from the last ')'.
        $fields = preg_split('/\s+/', trim(substr($stat, strrpos($stat, ')') + 1)));
        return count($fields) > 19 && (int) $fields[19] === $this->supervisorStartTicks;
    }

    // ---- slot table ---------------------------------------------------------------------------------------

    public function slotCount(): int
    {
        $count = $this->source->u64(64);
        $blocks = intdiv($count + self::SLOTS_PER_BLOCK - 1, self::SLOTS_PER_BLOCK);
        if ($count > 0 && self::INITIAL_ALLOC_END + ($blocks - 1) * self::BLOCK_LENGTH > $this->source->size()) {
            throw $this->corrupt("a slot count of $count is impossible");
        }
        return $count;
    }

    private function descriptor(int $slot): int
    {
        $block = intdiv($slot, self::SLOTS_PER_BLOCK);
        while (count($this->blocks) <= $block) {
            $last = $this->blocks[count($this->blocks) - 1];
            $next = $this->source->u64($last);
            if ($next < self::INITIAL_ALLOC_END || $next % 64 !== 0 || $next + self::BLOCK_LENGTH > $this->source->size()) {
                throw $this->corrupt(sprintf('table block %d links to offset %d', count($this->blocks) - 1, $next));
            }
            $this->blocks[] = $next;
        }
        return $this->blocks[$block] + self::BLOCK_HEADER + ($slot % self::SLOTS_PER_BLOCK) * self::DESCRIPTOR_LENGTH;
    }

    /** The slot's name ($pool false) or pool name ($pool true). */
    private function text(int $d, bool $pool): string
    {
        $what = $pool ? 'pool' : 'name';
        $length = unpack('V', $this->source->read($d + ($pool ? 100 : 96), 4))[1];
        if ($length > 64) {
            throw $this->corrupt("the slot at offset $d has a $what of $length bytes");
        }
        $text = $length === 0 ? '' : $this->source->read($d + ($pool ? 192 : 128), $length);
        if (preg_match('//u', $text) !== 1) {
            throw $this->corrupt("the slot at offset $d has a $what that is not UTF-8");
        }
        return $text;
    }

    /** @return array{string,int,int} the owner's state name, pid and state code, from one 8-byte word */
    private function ownerAt(int $d): array
    {
        $word = $this->source->u64($d + 64);
        $code = $word & 0xFFFFFFFF;
        return [self::OWNER_STATES[$code] ?? 'unknown', $word >> 32, $code];
    }

    /** @return list<string> every slot's name, in slot order */
    public function names(): array
    {
        $names = [];
        for ($s = 0, $n = $this->slotCount(); $s < $n; $s++) {
            $names[] = $this->text($this->descriptor($s), false);
        }
        return $names;
    }

    /** The descriptor offset for a name (section 7): a slot's name, or a pool with one live worker. */
    private function resolve(string $lookup): int
    {
        if (isset($this->descriptors[$lookup])) {
            return $this->descriptors[$lookup];
        }
        $pooled = $this->pools[$lookup] ?? null;
        // A pool's single worker is remembered until a slot is added or that worker is removed.
        if ($pooled !== null && $pooled[0] === $this->source->u64(64) && $this->ownerAt($pooled[1])[2] !== self::REMOVED) {
            return $pooled[1];
        }
        $count = $this->slotCount();
        for ($s = 0; $s < $count; $s++) {
            $d = $this->descriptor($s);
            if ($this->text($d, false) === $lookup) {
                return $this->descriptors[$lookup] = $d;
            }
        }
        $members = [];
        for ($s = 0; $s < $count && $lookup !== ''; $s++) {
            $d = $this->descriptor($s);
            if ($this->text($d, true) === $lookup && $this->ownerAt($d)[2] !== self::REMOVED) {
                $members[] = $d;
            }
        }
        if (count($members) === 1) {
            $this->pools[$lookup] = [$count, $members[0]];
            return $members[0];
        }
        if ($members === []) {
            throw new NotFoundException("no worker named $lookup in state file {$this->path}");
        }
        $names = array_map(fn (int $d) => $this->text($d, false), $members);
        throw new StateException(sprintf('pool %s has %d workers; name one of %s', $lookup, count($members), implode(', ', $names)));
    }

    // ---- the public reads ---------------------------------------------------------------------------------

    /** The slot's published version (0: never published): one read once the name is known. */
    public function version(string $name): int
    {
        return $this->source->u64($this->descriptors[$name] ?? $this->resolve($name));
    }

    /**
     * The slot's snapshot, key => value (binary-safe strings), keys in canonical order: the same array while
     * the slot's version is unchanged. As in any PHP array, a key of decimal digits ("17") is an int key.
     *
     * @return array<string,string>
     */
    public function get(string $name): array
    {
        $d = $this->descriptors[$name] ?? $this->resolve($name);
        $cached = $this->cache[$d] ?? null;
        if ($cached !== null && $cached[0] === $this->source->u64($d)) {
            return $cached[3];
        }
        return ($this->cache[$d] = $this->read($d, $cached))[3];
    }

    /**
     * Several slots at once, name => snapshot; each consistent on its own (section 5).
     *
     * @param list<string> $names
     * @return array<string,array<string,string>>
     */
    public function getMany(array $names): array
    {
        $all = [];
        foreach ($names as $name) {
            $all[$name] = $this->get($name);
        }
        return $all;
    }

    /** One key's value, or $default when the slot does not have it. */
    public function value(string $name, string $key, ?string $default = null): ?string
    {
        return $this->get($name)[$key] ?? $default;
    }

    /** Whether the slot's worker is running and the tend that runs it is alive (section 8). */
    public function ownerRunning(string $name): bool
    {
        return $this->ownerAt($this->resolve($name))[2] === self::RUNNING && $this->supervisorAlive();
    }

    /** The slot with its snapshot and owner, as tend get shows it. */
    public function slot(string $name): Slot
    {
        $d = $this->resolve($name);
        $data = $this->get($name);
        [$version, $publishedAt] = $this->cache[$d];
        [$state, $pid, $code] = $this->ownerAt($d);
        return new Slot($this->text($d, false), $this->text($d, true), $version, $publishedAt, $state, $pid,
            $code === self::RUNNING && $this->supervisorAlive(), $data);
    }

    // ---- the read protocol (section 5) --------------------------------------------------------------------

    /**
     * @param array{int,int,string,array<string,string>,int}|null $previous
     * @return array{int,int,string,array<string,string>,int}
     */
    private function read(int $d, ?array $previous): array
    {
        $name = $previous[2] ?? $this->text($d, false);
        $src = $this->source;
        [, $version, $buf0, $buf1] = unpack('P3', $src->read($d, 24));
        $stuck = 0;
        $seq = 0;
        $guess = $previous[4] ?? 0;
        while ($version !== 0) {
            $buf = ($version & 1) === 0 ? $buf0 : $buf1;
            if ($buf < self::INITIAL_ALLOC_END || $buf % 64 !== 0) {
                throw $this->corrupt("slot $name version $version points at offset $buf");
            }
            // The header and, guessing the length is the last one's, the payload in one read.
            $bytes = $src->read($buf, 64 + $guess);
            if (strlen($bytes) < 64) {
                throw $this->corrupt(sprintf('it is %d bytes long but refers to offset %d', $src->size(), $buf + 64));
            }
            $h = unpack('Pseq/Pcapacity/Pversion/Plength/Pat', $bytes);
            $seq = $h['seq'];
            if ($seq === 2 * $version) {
                $length = $h['length'];
                if ($length > $h['capacity'] || $length > $this->maxSnapshot) {
                    if ($src->u64($buf) === $seq) {
                        throw $this->corrupt(sprintf('slot %s version %d has a length of %d bytes in a buffer of %d',
                            $name, $version, $length, $h['capacity']));
                    }
                } else {
                    $payload = strlen($bytes) >= 64 + $length ? substr($bytes, 64, $length) : $src->read($buf + 64, $length);
                    if (strlen($payload) < $length) {
                        throw $this->corrupt(sprintf('it is %d bytes long but refers to offset %d', $src->size(), $buf + 64 + $length));
                    }
                    if ($src->u64($buf) === $seq) { // nothing overwrote it during the copy
                        return [$version, $h['at'], $name, $this->decode($payload, $name, $version, $previous[3] ?? []), $length];
                    }
                }
            }
            [, $latest, $buf0, $buf1] = unpack('P3', $src->read($d, 24));
            if ($latest !== $version) {
                $version = $latest;
                $stuck = 0;
            } elseif (++$stuck > self::STUCK_LIMIT) {
                throw $this->corrupt("slot $name version $version is published but its buffer holds sequence $seq");
            }
        }
        return [0, 0, $name, [], 0];
    }

    /**
     * Decodes a payload strictly (section 3.5); anything malformed is corruption. As section 3.5 allows, the
     * key checks are skipped while the keys are byte-for-byte those of the last snapshot read, in order:
     * publishers nearly always publish the same keys.
     *
     * @param array<string,string> $previous the last snapshot read from this slot
     * @return array<string,string>
     */
    private function decode(string $payload, string $name, int $version, array $previous): array
    {
        $known = array_keys($previous);
        $fail = fn (string $detail) => $this->corrupt("slot $name version $version has a malformed payload ($detail)");
        $size = strlen($payload);
        if ($size < 4) {
            throw $fail('no entry count');
        }
        $count = unpack('V', $payload)[1];
        $entries = [];
        $at = 4;
        $last = null;
        for ($i = 0; $i < $count; $i++) {
            if ($at + 4 > $size) {
                throw $fail('cut off before a key length');
            }
            $keyLength = unpack('V', $payload, $at)[1];
            if ($keyLength > $size - $at - 4) {
                throw $fail("a key of $keyLength bytes runs past the end");
            }
            $key = substr($payload, $at + 4, $keyLength);
            $at += 4 + $keyLength;
            if ($known === null || !isset($known[$i]) || (string) $known[$i] !== $key) {
                $known = null; // from here on, every key is checked
                if ($keyLength === 0 || $keyLength > self::MAX_KEY_LENGTH) {
                    throw $fail("a key of $keyLength bytes");
                }
                if (preg_match('//u', $key) !== 1) {
                    throw $fail('a key that is not UTF-8');
                }
                if ($last !== null && strcmp($key, $last) <= 0) {
                    throw $fail('keys out of order or repeated');
                }
            }
            $last = $key;
            if ($at + 4 > $size) {
                throw $fail('cut off before a value length');
            }
            $valueLength = unpack('V', $payload, $at)[1];
            if ($valueLength > $size - $at - 4) {
                throw $fail("a value of $valueLength bytes runs past the end");
            }
            $entries[$key] = substr($payload, $at + 4, $valueLength);
            $at += 4 + $valueLength;
        }
        if ($at !== $size) {
            throw $fail(sprintf('%d bytes after the last entry', $size - $at));
        }
        return $entries;
    }
}

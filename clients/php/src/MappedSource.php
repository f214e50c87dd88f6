<?php

declare(strict_types=1);

namespace Tend;

/**
 * The state file mapped read-only through FFI (mmap from libc): reads are memory loads, no system call.
 * Usable where FFI is enabled for the running script (ffi.enable = true, or "preload" in the CLI).
 */
final class MappedSource implements Source
{
    private static ?\FFI $libc = null;
    private \FFI\CData $base;
    /** The same mapping as 8-byte words: a u64 is one index, no pointer arithmetic, no new CData. */
    private \FFI\CData $words;
    private int $length;
    private int $fd;

    public static function usable(): bool
    {
        if (!extension_loaded('FFI')) {
            return false;
        }
        $setting = (string) ini_get('ffi.enable');
        return $setting === '1' || strtolower($setting) === 'true' || ($setting === 'preload' && PHP_SAPI === 'cli');
    }

    public function __construct(private readonly string $path)
    {
        if (!self::usable()) {
            throw new StateException('FFI is not usable here (ffi.enable = ' . ini_get('ffi.enable') . ', ' . PHP_SAPI . ')');
        }
        self::$libc ??= \FFI::cdef('
            int open(const char *path, int flags);
            int close(int fd);
            void *mmap(void *addr, size_t length, int prot, int flags, int fd, long offset);
            int munmap(void *addr, size_t length);', 'libc.so.6');
        if (!file_exists($path)) {
            throw new NotFoundException("no state file at $path");
        }
        $this->fd = self::$libc->open($path, 0x80000 /* O_RDONLY | O_CLOEXEC */);
        if ($this->fd < 0) {
            throw new StateException("cannot open state file $path");
        }
        $this->map();
    }

    private function map(): void
    {
        $size = $this->size();
        if ($size === 0) {
            throw new StateException("{$this->path} is not a tend state file: it is only 0 bytes long");
        }
        $p = self::$libc->mmap(null, $size, 1 /* PROT_READ */, 1 /* MAP_SHARED */, $this->fd, 0);
        if (\FFI::cast('intptr_t', $p)->cdata === -1) {
            throw new StateException("cannot map state file {$this->path}");
        }
        // Old mappings stay valid (the file never shrinks) and are cheap: keep them rather than risk a
        // caller's pointer. They go with the process.
        $this->base = \FFI::cast('uint8_t *', $p);
        $this->words = \FFI::cast('int64_t *', $p);
        $this->length = $size;
    }

    /** Maps the file again if it grew: everything reachable was reserved before its offset was published. */
    private function grow(): void
    {
        if ($this->size() > $this->length) {
            $this->map();
        }
    }

    public function read(int $offset, int $length): string
    {
        if ($offset + $length > $this->length) {
            $this->grow();
            $length = max(0, min($length, $this->length - $offset));
        }
        return $length === 0 ? '' : \FFI::string($this->base + $offset, $length);
    }

    public function u64(int $offset): int
    {
        if ($offset + 8 > $this->length) {
            $this->grow();
            if ($offset + 8 > $this->length) {
                throw new StateException("state file {$this->path} is corrupt: it is {$this->length} bytes long but refers to offset " . ($offset + 8));
            }
        }
        return $this->words[$offset >> 3];   // every u64 of the layout is 8-byte aligned
    }

    public function size(): int
    {
        clearstatcache(true, $this->path);
        $stat = @stat("/proc/self/fd/{$this->fd}");
        return $stat === false ? 0 : $stat['size'];
    }

    public function close(): void
    {
        self::$libc->close($this->fd);
    }
}

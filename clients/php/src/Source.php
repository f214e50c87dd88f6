<?php

declare(strict_types=1);

namespace Tend;

/** How the state file's bytes are reached: fread on a kept-open handle, or a mapping through FFI. */
interface Source
{
    /** $length bytes at $offset, or fewer when the file ends before. */
    public function read(int $offset, int $length): string;

    /** The u64 at $offset, an aligned word, little-endian. */
    public function u64(int $offset): int;

    /** The file's current length. */
    public function size(): int;

    public function close(): void;
}

<?php

declare(strict_types=1);

namespace Tend;

/**
 * The state file read with fseek and fread on one unbuffered handle kept open: pure PHP, no extension.
 * The file only grows, so an offset that was in it stays in it.
 */
final class FileSource implements Source
{
    /** @var resource */
    private $handle;

    public function __construct(private readonly string $path)
    {
        $handle = @fopen($path, 'rb');
        if ($handle === false) {
            if (!file_exists($path)) {
                throw new NotFoundException("no state file at $path");
            }
            throw new StateException("cannot open state file $path: " . (error_get_last()['message'] ?? 'unknown error'));
        }
        // Unbuffered: every read sees the file as it is now, not a chunk read earlier.
        stream_set_read_buffer($handle, 0);
        $this->handle = $handle;
    }

    public function read(int $offset, int $length): string
    {
        fseek($this->handle, $offset);
        $bytes = fread($this->handle, $length);
        if ($bytes === false || strlen($bytes) < $length) {
            $bytes = (string) $bytes;
            // A large read may come back in parts; a short one at the end of the file is the caller's to judge.
            while (strlen($bytes) < $length) {
                $more = fread($this->handle, $length - strlen($bytes));
                if ($more === false || $more === '') {
                    break;
                }
                $bytes .= $more;
            }
        }
        return $bytes;
    }

    public function u64(int $offset): int
    {
        fseek($this->handle, $offset);
        return unpack('P', fread($this->handle, 8))[1];
    }

    public function size(): int
    {
        clearstatcache(true, $this->path);
        return fstat($this->handle)['size'];
    }

    public function close(): void
    {
        fclose($this->handle);
    }
}

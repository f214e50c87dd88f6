<?php

declare(strict_types=1);

namespace Tend;

/**
 * The control socket of a running tend (docs/control-protocol.md): one request per connection, JSON lines.
 * Heartbeats bound the wait: a tend that sends nothing for a quarter of the timeout is stopped or stuck.
 */
final class Control
{
    public readonly string $socket;

    /** $socket: the control socket; null = TEND_SOCKET inside a worker, or the socket of instance $instance. */
    public function __construct(?string $socket = null, ?string $instance = null)
    {
        $this->socket = $socket ?? self::socketPath($instance);
    }

    /** The control socket of an instance, searched where the tend commands search (cli.md). */
    public static function socketPath(?string $instance = null): string
    {
        if ($instance === null) {
            $path = getenv('TEND_SOCKET');
            if ($path !== false && $path !== '') {
                return $path;
            }
            throw new TendException('TEND_SOCKET is not set: name the instance (its runtime directory holds control.sock)', 3);
        }
        $uid = function_exists('posix_getuid') ? posix_getuid() : (int) getmyuid();
        $bases = [];
        if (($dir = getenv('TEND_RUNTIME_DIR')) !== false && $dir !== '') {
            $bases[] = $dir;
        }
        if ($uid === 0) {
            $bases[] = '/run/tend';
        }
        if (($xdg = getenv('XDG_RUNTIME_DIR')) !== false && is_dir($xdg)) {
            $bases[] = "$xdg/tend";
        }
        $bases[] = "/tmp/tend-$uid";
        foreach ($bases as $base) {
            if (file_exists("$base/$instance/control.sock")) {
                return "$base/$instance/control.sock";
            }
        }
        throw new TendException("tend instance $instance is not running (no control.sock under " . implode(', ', $bases) . ')', 3);
    }

    /**
     * Sends one request and returns its final message; throws TendException when it is not ok.
     *
     * @param array<string,mixed> $request
     * @return array<string,mixed>
     */
    public function request(array $request, float $timeout = 30.0): array
    {
        $heartbeat = max(0.1, $timeout / 4);
        $request['heartbeat_ms'] = (int) ($heartbeat * 1000);
        $connection = @stream_socket_client('unix://' . $this->socket, $errno, $error, $timeout);
        if ($connection === false) {
            throw new TendException("tend is not running (nothing answers on {$this->socket}: $error)", 3);
        }
        try {
            stream_set_timeout($connection, (int) ceil($timeout));
            fwrite($connection, json_encode($request, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES) . "\n");
            while (($line = fgets($connection)) !== false) {
                $reply = json_decode($line, true, 512, JSON_THROW_ON_ERROR);
                if (!array_key_exists('ok', $reply)) {
                    continue; // an event: heartbeats say tend is alive and working
                }
                if ($reply['ok'] !== true) {
                    throw new TendException((string) ($reply['error'] ?? 'tend refused the request'), (int) ($reply['code'] ?? 1),
                        array_map([FailureReport::class, 'fromJson'], $reply['failures'] ?? []));
                }
                return $reply;
            }
            if (stream_get_meta_data($connection)['timed_out']) {
                throw new TendException("tend did not answer for $timeout s (not even a heartbeat): stopped or stuck", 1);
            }
            throw new TendException('the connection to tend ended before its answer (tend stopped?)', 1);
        } finally {
            fclose($connection);
        }
    }

    /**
     * tend require: starts the named workers if needed and waits until they are ready. Throws TendException
     * with the failure reports when one fails before it is ready (code 1) or $timeout passes (code 4).
     *
     * @param string|list<string> $names
     * @return array<string,mixed> the action result
     */
    public function require(string|array $names, float $timeout = 30.0): array
    {
        return $this->request(['op' => 'require', 'names' => (array) $names, 'timeout_ms' => (int) ($timeout * 1000)], $timeout + 5);
    }

    /**
     * Every worker of the instance, as the worker objects of the ps operation.
     *
     * @return list<array<string,mixed>>
     */
    public function ps(): array
    {
        return $this->request(['op' => 'ps'])['workers'];
    }
}

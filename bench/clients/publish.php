<?php

declare(strict_types=1);

// The benchmark's publisher: "kib" publishes 8 keys of 120 bytes (a 1,060-byte payload), "tiny" one key.
require __DIR__ . '/../../clients/php/src/autoload.php';

$data = [];
if ($argv[1] === 'kib') {
    for ($i = 0; $i < 8; $i++) {
        $data["key$i"] = str_repeat(chr(ord('a') + $i), 120);
    }
} else {
    $data['v'] = '42';
}
(new Tend\Publisher())->publish($data);
(new Tend\Stop())->requested(null);

<?php

declare(strict_types=1);

// The sidekick: publishes settings.ini, and publishes it again whenever it changes, until tend stops it.
require __DIR__ . '/lib.php';

$file = getenv('TEND_INSTANCE_DIR') . '/settings.ini';
if (!is_file($file)) {
    copy(__DIR__ . '/settings.ini', $file);
}
$publisher = new Tend\Publisher();
$stop = new Tend\Stop();
$seen = null;
do {
    clearstatcache(true, $file);
    $stamp = @filemtime($file) . ':' . @filesize($file) . ':' . md5((string) @file_get_contents($file));
    if ($stamp !== $seen) {
        $settings = @parse_ini_file($file, false, INI_SCANNER_RAW);
        if ($settings === false) {
            echo "settings.ini does not parse; keeping the published settings\n";
        } elseif ($publisher->publish($settings)) {   // false: the same settings as published already
            echo 'published ', json_encode($settings), "\n";
        }
        $seen = $stamp;
    }
} while (!$stop->requested(0.2));                    // waits on stdin: wakes at once on the stop request

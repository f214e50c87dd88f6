<?php

// The conformance test's reader: opens FILE, then for each name read on stdin prints the slot as one JSON line
// (docs/state-file.md section 12), or {"error": …, "code": …}. One long-lived State, so the file grows under it.
declare(strict_types=1);

require __DIR__ . '/../src/autoload.php';

$state = Tend\State::open($argv[1], ($argv[2] ?? 'auto') === 'auto' ? null : $argv[2] === 'ffi');
while (($line = fgets(STDIN)) !== false) {
    $name = rtrim($line, "\n");
    try {
        $out = $state->slot($name)->toJson();
        $out['same_array'] = $state->get($name) === $state->slot($name)->data;
    } catch (Tend\NotFoundException $e) {
        $out = ['error' => $e->getMessage(), 'code' => 3];
    } catch (Tend\StateException $e) {
        $out = ['error' => $e->getMessage(), 'code' => 1];
    }
    echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    fflush(STDOUT);
}

<?php

declare(strict_types=1);

// Every request: the current settings, read from the state file through the library (no request to tend).
require __DIR__ . '/lib.php';

$state = Tend\State::open();
$slot = $state->slot('settings');
header('Content-Type: application/json');
echo json_encode([
    'worker' => getenv('TEND_WORKER'),
    'settings_version' => $slot->version,
    'sidekick_running' => $slot->running,
    'greeting' => $slot->data['greeting'] ?? null,
    'settings' => $slot->data,
], JSON_UNESCAPED_SLASHES), "\n";

<?php

declare(strict_types=1);

require __DIR__ . '/../../src/autoload.php';

$publisher = new Tend\Publisher();
$snapshot = ['text' => 'héllo ✓', 'bin' => "\0\xff\xfe", 'empty' => '', 'n' => 17, 'yes' => true, 'ключ' => 'значение'];
$first = $publisher->publish($snapshot);
$again = $publisher->publish($snapshot);   // identical: skipped, nothing written
try {
    $publisher->publish(['big' => str_repeat('x', 64 * 1024)]);
    $tooBig = 'published';
} catch (Tend\PublishException $e) {
    $tooBig = $e->getMessage();
}
try {
    $publisher->publish(['' => 'empty key']);
    $emptyKey = 'published';
} catch (Tend\PublishException $e) {
    $emptyKey = $e->getMessage();
}
$publisher->publish($snapshot + ['first' => $first, 'again' => $again, 'too_big' => $tooBig, 'empty_key' => $emptyKey]);
(new Tend\Stop())->requested(null);

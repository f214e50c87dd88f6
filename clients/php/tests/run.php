<?php

// A plain test runner (PHPUnit is not needed): php run.php [FILTER]. Runs every test registered by the
// *_test.php files next to it; prints one line per test; exits 1 if any failed.
declare(strict_types=1);

require __DIR__ . '/../src/autoload.php';
require __DIR__ . '/assert.php';

foreach (glob(__DIR__ . '/*_test.php') as $file) {
    require $file;
}
$failed = 0;
$ran = 0;
foreach (Check::$tests as $name => $test) {
    if (isset($argv[1]) && !str_contains($name, $argv[1])) {
        continue;
    }
    $ran++;
    try {
        $test();
        echo "ok   $name\n";
    } catch (Throwable $e) {
        $failed++;
        echo "FAIL $name: ", get_class($e), ': ', $e->getMessage(), "\n    at ", $e->getFile(), ':', $e->getLine(), "\n";
    }
}
echo $failed === 0 ? "PHP client: all $ran tests passed\n" : "PHP client: $failed of $ran tests failed\n";
exit($failed === 0 ? 0 : 1);

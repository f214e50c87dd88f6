<?php

declare(strict_types=1);

require __DIR__ . '/../../src/autoload.php';

$publisher = new Tend\Publisher();
$started = $finished = 0;
$publisher->publish(['started' => 0, 'finished' => 0]);
$stop = new Tend\Stop();
$stop->runJobs(function () use ($publisher, &$started, &$finished): void {
    $publisher->publish(['started' => ++$started, 'finished' => $finished]);
    usleep(300_000); // the job in hand
    $publisher->publish(['started' => $started, 'finished' => ++$finished]);
});
fwrite(STDERR, "stopped after finishing $finished jobs\n");

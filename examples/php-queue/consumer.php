<?php

declare(strict_types=1);

require __DIR__ . '/lib.php';

$redis = redis();
$me = getenv('TEND_WORKER');
$processing = "processing:$me";
// A job this worker's killed predecessor had taken and not acknowledged goes back to the queue.
while (($job = $redis->rPopLPush($processing, 'jobs')) !== false) {
    echo "requeued $job, left unfinished by my predecessor\n";
}
$publisher = new Tend\Publisher();
$done = 0;
$publisher->publish(['done' => $done]);
$stop = new Tend\Stop();
$stop->runJobs(function () use ($redis, $processing, $publisher, &$done): void {
    $job = $redis->bRPopLPush('jobs', $processing, 1);   // at most 1 s, so that a stop request is seen
    if ($job === false) {
        return;
    }
    usleep(20_000);                                      // the work
    $redis->multi()->lPush('done', $job)->lRem($processing, $job, 1)->exec();   // acknowledged, atomically
    $publisher->publish(['done' => ++$done, 'last' => $job]);
});
echo "stdin closed: finished the job in hand ($done jobs done), exiting\n";

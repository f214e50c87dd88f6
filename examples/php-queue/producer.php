<?php

declare(strict_types=1);

// php producer.php COUNT [FIRST]: queues jobs job-FIRST … job-(FIRST+COUNT-1).
require __DIR__ . '/lib.php';

$count = (int) ($argv[1] ?? 100);
$first = (int) ($argv[2] ?? 1);
$redis = redis();
for ($i = $first; $i < $first + $count; $i++) {
    $redis->lPush('jobs', "job-$i");
}
echo "producer: queued $count jobs\n";

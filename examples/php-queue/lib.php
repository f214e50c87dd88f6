<?php

declare(strict_types=1);

// The tend PHP library, from the source tree or from an install (share/tend/php next to share/tend/examples).
foreach ([__DIR__ . '/../../clients/php/src/autoload.php', __DIR__ . '/../../php/src/autoload.php'] as $autoload) {
    if (is_file($autoload)) {
        require $autoload;
        break;
    }
}

/** Connects to the example's redis-server, whose port its worker published. */
function redis(): Redis
{
    (new Tend\Control())->require('redis', 30);   // waits until redis answers, starting it if need be
    $redis = new Redis();
    $redis->connect('127.0.0.1', (int) Tend\State::open()->value('redis', 'port'));
    return $redis;
}

<?php

declare(strict_types=1);

// The tend PHP library of this source tree (installed, it is PREFIX/share/tend/php/src/autoload.php).
require __DIR__ . '/../../clients/php/src/autoload.php';

/** Connects to the example's redis-server, whose port its worker published. */
function redis(): Redis
{
    (new Tend\Control())->require('redis', 30);   // waits until redis answers, starting it if need be
    $redis = new Redis();
    $redis->connect('127.0.0.1', (int) Tend\State::open()->value('redis', 'port'));
    return $redis;
}

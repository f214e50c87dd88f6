<?php

declare(strict_types=1);

// The tend PHP library of this source tree (installed, it is PREFIX/share/tend/php/src/autoload.php).
require __DIR__ . '/../../clients/php/src/autoload.php';

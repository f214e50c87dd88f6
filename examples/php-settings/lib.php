<?php

declare(strict_types=1);

// The tend PHP library, from the source tree or from an install (share/tend/php next to share/tend/examples).
foreach ([__DIR__ . '/../../clients/php/src/autoload.php', __DIR__ . '/../../php/src/autoload.php'] as $autoload) {
    if (is_file($autoload)) {
        require $autoload;
        break;
    }
}

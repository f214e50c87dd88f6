<?php

// For use without Composer: require '/path/to/tend/php/src/autoload.php';
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Tend\\')) {
        $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 5)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

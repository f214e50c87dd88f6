<?php

declare(strict_types=1);

namespace Tend;

/** A snapshot that cannot be published: a bad key or value, too large, or no state pipe. */
final class PublishException extends \RuntimeException
{
}

<?php

declare(strict_types=1);

namespace Tend;

/** The state file cannot be read: not a state file, not ready, corrupt, an ambiguous name. */
class StateException extends \RuntimeException
{
}

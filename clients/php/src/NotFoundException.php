<?php

declare(strict_types=1);

namespace Tend;

/** No such state file, slot or key (tend get's exit status 3). */
final class NotFoundException extends StateException
{
}

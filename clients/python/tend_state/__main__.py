"""python3 -m tend_state FILE [NAME [KEY]] [--json]: the state file from the command line (like tend get).

    FILE                   slot names, one per line
    FILE --json            every slot, as a JSON array of slot objects
    FILE NAME              one slot as a JSON object (docs/state-file.md, section 12)
    FILE NAME KEY          the value of KEY, raw bytes, nothing added
    FILE NAME KEY --json   the value as JSON: a string, or {"base64": "..."}

NAME is a slot name, or the name of a pool that has exactly one live worker.
Exit status: 0 success, 1 error (not a state file, corrupt, ambiguous name), 2 usage, 3 no such slot or key.
"""

import json
import sys

from ._reader import NotFound, State, StateError, json_value

EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND = 1, 2, 3


def main(argv, program="tend_state", usage=__doc__):
    args = [a for a in argv if a != "--json"]
    as_json = len(args) != len(argv)
    if not 1 <= len(args) <= 3 or any(a.startswith("-") for a in args):
        sys.stderr.write(usage)
        return EXIT_USAGE
    try:
        with State(args[0]) as state:
            if len(args) == 1:
                if as_json:
                    print(json.dumps([state.slot(name).to_json() for name in state.names()]))
                else:
                    for name in state.names():
                        print(name)
                return 0
            if len(args) == 2:
                print(json.dumps(state.slot(args[1]).to_json()))
                return 0
            snapshot = state.get(args[1])
            if args[2] not in snapshot:
                raise NotFound("worker %s has no key %s" % (snapshot.name, args[2]))
            if as_json:
                print(json.dumps(json_value(snapshot[args[2]])))
            else:
                sys.stdout.buffer.write(snapshot[args[2]])
                sys.stdout.buffer.flush()
            return 0
    except NotFound as e:
        sys.stderr.write("%s: %s\n" % (program, e))
        return EXIT_NOT_FOUND
    except StateError as e:
        sys.stderr.write("%s: %s\n" % (program, e))
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

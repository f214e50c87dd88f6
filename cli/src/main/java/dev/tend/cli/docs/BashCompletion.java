package dev.tend.cli.docs;

import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The bash completion: picocli's, which knows the commands and options, followed by the completion of live names
 * ({@link LiveArguments}), which the launcher prints ({@code tend __complete}, a shell script: no JVM on a Tab).
 */
final class BashCompletion {
    private static final String PICOCLI_REGISTRATION = "complete -F _complete_tend -o default tend tend.sh tend.bash\n";

    private BashCompletion() {}

    static String render(CommandLine cli) {
        String picocli = AutoComplete.bash("tend", cli);
        if (!picocli.endsWith(PICOCLI_REGISTRATION)) {
            throw new IllegalStateException("picocli's bash script no longer ends with " + PICOCLI_REGISTRATION.trim());
        }
        StringBuilder b = new StringBuilder(picocli.substring(0, picocli.length() - PICOCLI_REGISTRATION.length()));
        b.append(HELPERS);
        b.append("# _tend_query: sets _tend_query to what to ask the launcher for the word being completed (empty: the\n");
        b.append("# word is picocli's to complete), and _tend_word to the text to complete.\n");
        b.append("function _tend_query() {\n");
        b.append("  local first option=${COMP_WORDS[COMP_CWORD-1]}\n");
        b.append("  _tend_query=\n");
        b.append("  _tend_word=${COMP_WORDS[COMP_CWORD]}\n");
        b.append("  # bash splits --name=VALUE into three words.\n");
        b.append("  if [[ $_tend_word == = ]]; then\n");
        b.append("    _tend_word=\n");
        b.append("  elif [[ $option == = ]] && (( COMP_CWORD >= 2 )); then\n");
        b.append("    option=${COMP_WORDS[COMP_CWORD-2]}\n");
        b.append("  fi\n");
        b.append("  for (( first = 1; first < COMP_CWORD; first++ )); do\n");
        b.append("    [[ ${COMP_WORDS[first]} != -* ]] && break\n");
        b.append("  done\n");
        b.append("  (( first < COMP_CWORD )) || return 0\n");
        b.append("  case ${COMP_WORDS[first]} in\n");
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            LiveArguments live = LiveArguments.of(sub.getValue().getCommandSpec());
            if (live.isEmpty()) {
                continue;
            }
            b.append("    ").append(sub.getKey()).append(")\n");
            for (LiveArguments.Option option : live.options()) {
                b.append("      case $option in ").append(String.join("|", option.names())).append(") _tend_query=")
                        .append(option.query()).append("; return 0 ;; esac\n");
            }
            if (!live.positions().isEmpty()) {
                b.append("      _tend_position ' ").append(String.join(" ", live.valueOptions())).append(" ' \"$first\"\n");
                String keyword = "if";
                for (LiveArguments.Position position : live.positions()) {
                    b.append("      ").append(keyword).append(" (( ");
                    if (position.min() == position.max()) {
                        b.append("_tend_index == ").append(position.min());
                    } else {
                        b.append("_tend_index >= ").append(position.min());
                        if (!position.unbounded()) {
                            b.append(" && _tend_index <= ").append(position.max());
                        }
                    }
                    b.append(" )); then\n        _tend_query=").append(position.query()).append('\n');
                    keyword = "elif";
                }
                b.append("      fi\n");
            }
            b.append("      ;;\n");
        }
        b.append("  esac\n");
        b.append("}\n\n");
        b.append(COMPLETE);
        return b.toString();
    }

    private static final String HELPERS = """

            # ---- Names of the running tend ----------------------------------------------------------------------
            # Added by tend's generator (dev.tend.cli.docs.BashCompletion) from the command-line model. The names of
            # workers, pools and lazy declarations (and of the running instances, for --name) change while tend runs:
            # the launcher prints them (`tend __complete`, a shell script that reads the names file the instance keeps
            # in its runtime directory), so no JVM starts on a Tab. Everything else is picocli's completion above.

            # _tend_position VALUE_OPTIONS FIRST: sets _tend_index to the position of the word being completed among
            # the positional parameters of the subcommand at FIRST, or to -1 when it is an option or an option's value.
            # VALUE_OPTIONS: the subcommand's options that take a value, with a space before and after each.
            function _tend_position() {
              local i word
              _tend_index=0
              for (( i = $2 + 1; i < COMP_CWORD; i++ )); do
                word=${COMP_WORDS[i]}
                if [[ $1 == *" $word "* ]]; then
                  (( i++ ))
                  [[ ${COMP_WORDS[i]} == = ]] && (( i++ ))
                elif [[ $word == -* ]]; then
                  [[ ${COMP_WORDS[i+1]} == = ]] && (( i += 2 ))
                else
                  (( _tend_index++ ))
                fi
              done
              if (( i > COMP_CWORD )) || [[ ${COMP_WORDS[COMP_CWORD]} == -* ]]; then
                _tend_index=-1
              fi
            }

            """;

    private static final String COMPLETE = """
            # _tend_complete: live names from the launcher where the command-line model says so, else picocli's.
            function _tend_complete() {
              _tend_query
              if [[ -z $_tend_query ]]; then
                _complete_tend "$@"
                return
              fi
              local launcher=${COMP_WORDS[0]} names i
              local -a words=()
              [[ $launcher == "~/"* ]] && launcher=$HOME/${launcher#"~/"}
              if [[ $_tend_query == instances ]]; then
                names=$("$launcher" __complete instances 2>/dev/null)
              else
                # The words before the one completed (-c FILE, --name NAME say which instance), --name=VALUE rejoined.
                for (( i = 1; i < COMP_CWORD; i++ )); do
                  if [[ ${COMP_WORDS[i]} == = ]] && (( ${#words[@]} > 0 )); then
                    words[${#words[@]}-1]+==
                    if (( i + 1 < COMP_CWORD )); then
                      (( i++ ))
                      words[${#words[@]}-1]+=${COMP_WORDS[i]}
                    fi
                  else
                    words+=("${COMP_WORDS[i]}")
                  fi
                done
                names=$("$launcher" __complete names "$_tend_query" "${words[@]}" 2>/dev/null)
              fi
              type compopt &>/dev/null && compopt +o default
              local IFS=$'\\n'
              COMPREPLY=( $(compgen -W "$names" -- "$_tend_word") )
            }

            complete -F _tend_complete -o default tend tend.sh tend.bash
            """;
}

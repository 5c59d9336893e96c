package dev.delegator.packaging;

import dev.delegator.cli.DelegatorCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes {@code /usr/share/bash-completion/completions/delegator}: picocli's
 * {@link AutoComplete#bash} script (commands, subcommands, options, file arguments) plus delegation
 * names from the manifest where a command's first positional parameter is one.
 *
 * <p>Which commands take a delegation name is read from the model, not listed by hand: a first
 * positional labelled {@code NAME} or {@code NAME_OR_VERB}. For each, the script needs the options
 * that take a value, so that {@code hook install --hg /srv/hg/blog <TAB>} knows {@code /srv/hg/blog}
 * is not the name; those come from the model too. The names are read with awk from the manifest
 * ({@code --manifest} on the line, else {@code /etc/delegator/delegations.yaml}): a Tab must not
 * start a JVM. Block-style keys under {@code delegations:} only, the form README shows.
 *
 * <p>zsh reads the same script through {@code bashcompinit} (picocli's header sets that up).
 */
public final class CompletionScript {
    private static final List<String> NAME_LABELS = List.of("NAME", "NAME_OR_VERB");

    private CompletionScript() {}

    /** {@code CompletionScript OUTPUT_FILE}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScript OUTPUT_FILE");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, script(DelegatorCommand.newCommandLine()), StandardCharsets.UTF_8);
    }

    /** The whole script for {@code commandLine} (the {@code delegator} command). */
    static String script(CommandLine commandLine) {
        String name = commandLine.getCommandName();
        String generated = AutoComplete.bash(name, commandLine);
        // sourced, never run: Debian's completions carry no #! line (lintian: bash-completion-with-hashbang)
        if (generated.startsWith("#!")) {
            generated = generated.substring(generated.indexOf('\n') + 1);
        }
        StringBuilder s = new StringBuilder(generated);
        Map<String, List<String>> takingNames = new TreeMap<>();
        collect(commandLine, "", takingNames);
        s.append("\n# Delegation names from the manifest, added by dev.delegator.packaging.CompletionScript from\n")
                .append("# the same model: for each command whose first positional is a delegation name, the options\n")
                .append("# that take a value (their value is not that positional).\n")
                .append("function _delegator_manifest_names() {\n")
                .append("  awk '/^delegations:[[:space:]]*(#.*)?$/ { d = 1; ind = \"\"; next }\n")
                .append("       d && /^[^[:space:]#]/ { d = 0 }\n")
                .append("       d && match($0, /^[[:space:]]+[a-z][a-z0-9-]*:/) {\n")
                .append("         key = substr($0, 1, RLENGTH); lead = key; sub(/[^[:space:]].*/, \"\", lead)\n")
                .append("         if (ind == \"\") ind = lead\n")
                .append("         if (lead == ind) { sub(/^[[:space:]]+/, \"\", key); sub(/:$/, \"\", key); print key }\n")
                .append("       }' \"$1\" 2>/dev/null\n")
                .append("}\n\n")
                .append("function _delegator_complete() {\n")
                .append("  _complete_delegator \"$@\"\n")
                .append("  local cur=${COMP_WORDS[COMP_CWORD]}\n")
                .append("  [[ $cur == -* ]] && return 0\n")
                .append("  local i=2 arg_opts=\"\" w skip=0 prev=\"\" positionals=0 manifest=/etc/delegator/delegations.yaml\n")
                .append("  case \"${COMP_WORDS[1]} ${COMP_WORDS[2]}\" in\n");
        for (Map.Entry<String, List<String>> e : takingNames.entrySet()) {
            String path = e.getKey();
            int depth = path.split(" ").length;
            // one word: the second may be anything ("run blog"); two words: exactly those
            s.append("    \"").append(path).append(depth == 1 ? " \"*" : "\"").append(")")
                    .append(" i=").append(depth + 1).append("; arg_opts=\" ").append(String.join(" ", e.getValue()))
                    .append(" \" ;;\n");
        }
        s.append("    *) return 0 ;;\n")
                .append("  esac\n")
                .append("  for ((; i < COMP_CWORD; i++)); do\n")
                .append("    w=${COMP_WORDS[i]}\n")
                .append("    if ((skip)); then\n")
                .append("      # bash splits --opt=value at '=' into three words\n")
                .append("      [[ $w == = ]] && continue\n")
                .append("      skip=0; [[ $prev == --manifest ]] && manifest=$w; continue\n")
                .append("    fi\n")
                .append("    case $w in\n")
                .append("      -*) [[ $arg_opts == *\" $w \"* ]] && skip=1; prev=$w ;;\n")
                .append("      *) positionals=$((positionals + 1)) ;;\n")
                .append("    esac\n")
                .append("  done\n")
                .append("  ((skip == 0 && positionals == 0)) || return 0\n")
                .append("  [[ $cur == = ]] && return 0\n")
                .append("  local IFS=$'\\n'\n")
                .append("  COMPREPLY+=( $(compgen -W \"$(_delegator_manifest_names \"${manifest/#\\~/$HOME}\")\" -- \"$cur\") )\n")
                .append("}\n")
                .append("complete -F _delegator_complete -o default ").append(name).append('\n');
        return s.toString();
    }

    private static void collect(CommandLine cl, String path, Map<String, List<String>> out) {
        CommandSpec spec = cl.getCommandSpec();
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        if (!path.isEmpty() && !positionals.isEmpty() && NAME_LABELS.contains(positionals.get(0).paramLabel())) {
            List<String> valued = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (o.arity().max() > 0) {
                    valued.addAll(List.of(o.names()));
                }
            }
            out.put(path, valued);
        }
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().name().equals(sub.getKey())) {
                continue; // an alias: the real name is visited
            }
            collect(sub.getValue(), path.isEmpty() ? sub.getKey() : path + " " + sub.getKey(), out);
        }
    }
}

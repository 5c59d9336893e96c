package dev.delegator.cli.provision;

import dev.delegator.cli.ExitCodes;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.plan.Change;
import dev.delegator.plan.Revoker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code delegator revoke NAME}: take a delegation away on this host. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Remove a delegation's authorized_keys line, dispatcher config and caller key on this host; the next login with its key is denied.",
            "Remove it from the manifest too, or the next apply restores it. Exit: 0 done (also when nothing was found); 5 refused."})
public final class RevokeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ProvisionOptions options;

    @Parameters(paramLabel = "NAME", description = "The delegation.")
    String name;

    @Option(names = "--remove-user", description = "Also remove the delegate account (and its home), if delegator created it.")
    boolean removeUser;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!dev.delegator.manifest.Names.isDelegationName(name)) {
            throw new dev.delegator.cli.UserFacingException(ExitCodes.USAGE, "'" + name + "' is not a delegation name");
        }
        // the manifest only helps (it names the delegate user); revoke works without it
        Optional<Delegation> declared = Optional.empty();
        if (Files.isRegularFile(options.manifestPath())) {
            try {
                declared = ManifestLoader.load(options.manifestPath()).delegation(name);
            } catch (dev.delegator.manifest.ManifestException e) {
                spec.commandLine().getErr().println("delegator: warning: manifest not usable (" + e.getMessage() + "); revoking from what is on disk");
            }
        }
        Optional<Delegation> d = declared;
        List<Change> done = Revoker.revoke(name, d, removeUser, options.target(), Duration.ofMinutes(2));
        for (Change c : done) {
            out.println(c.display());
        }
        if (done.isEmpty()) {
            out.println("nothing of delegation " + name + " found on this host");
        }
        if (declared.isPresent()) {
            out.println("note: " + name + " is still in " + options.manifestPath() + ": remove it there, or the next apply restores it");
        }
        out.flush();
        return ExitCodes.OK;
    }
}

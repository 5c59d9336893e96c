package dev.delegator.cli.demo;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.demo.CleanAll;
import dev.delegator.demo.Console;
import dev.delegator.demo.DemoRun;
import dev.delegator.demo.NoRootDemo;
import dev.delegator.demo.RootDemo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delegator demo}: the whole idea, for real, in about a minute (see README "## demo"). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Show a push-to-deploy delegation working for real: a private sshd on 127.0.0.1, a caller and a delegate "
                + "account, delegator apply, a Mercurial push whose hook deploys as the delegate, then proof that the key does "
                + "nothing else. Removes everything it created unless --keep.",
            "Exit: 0 every step and proof held; 1 a step or a proof failed (the reason is printed); 2 usage; "
                + "77 not root (use --no-root)."})
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--keep", description = "Leave the accounts, files, sshd and hg serve running afterwards, to explore; "
            + "'delegator demo --clean' removes them.")
    boolean keep;

    @Option(names = "--clean", description = "Remove what kept (or interrupted) demos left behind, and exit.")
    boolean clean;

    @Option(names = "--no-root", description = "Without root: sshd runs as you, with your own throwaway key, in a directory "
            + "below your home; shows the forced command, the dispatcher and from= (no accounts, no apt-get, no hg push).")
    boolean noRoot;

    @Option(names = "--dir", paramLabel = "DIR", hidden = true, description = "Base directory of root demo runs "
            + "(default: /var/lib/delegator-demo; must be root-owned and not group/world-writable).")
    Path dir = DemoRun.DEFAULT_BASE;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Console console = new Console(out, Console.colourWanted(System.getenv()), Console.unicodeOutput());
        if (clean && (keep || noRoot)) {
            throw new UserFacingException(ExitCodes.USAGE, "--clean cannot be combined with --keep or --no-root");
        }
        boolean root = isUid0();
        if (!dir.isAbsolute()) {
            throw new UserFacingException(ExitCodes.USAGE, "--dir must be an absolute path: " + dir);
        }
        if (noRoot) {
            if (root) {
                throw new UserFacingException(ExitCodes.USAGE, "--no-root is for ordinary accounts (sshd then runs as that "
                        + "account and only it can log in); as root, run the full demo: delegator demo");
            }
            if (keep) {
                throw new UserFacingException(ExitCodes.USAGE, "--keep is for the root demo; --no-root always cleans up");
            }
            return NoRootDemo.forCurrentUser(console).run() == NoRootDemo.OK ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
        }
        if (!root) {
            throw new UserFacingException(ExitCodes.NEEDS_ROOT, "the demo needs root: it installs openssh-server and mercurial "
                    + "if missing, creates two throwaway accounts, runs a private sshd that logs them in, and removes it all "
                    + "afterwards. Run it as root (sudo ./delegator demo), or try 'delegator demo --no-root': sshd as you, "
                    + "showing the forced command, the dispatcher and from=");
        }
        if (clean) {
            return CleanAll.run(dir, console) ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
        }
        return new RootDemo(DemoRun.random(dir), console, keep).run() == RootDemo.OK ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
    }

    private static boolean isUid0() {
        try {
            Object uid = java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (java.io.IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}

package dev.delegator.it.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.local.RunAs;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The delegate host's key rotated under a caller that pinned the old one, with README's two-host
 * flow ("A delegate on another host") end to end: apply on the caller's machine (this one, a
 * rooted layout, acting as {@code build1}) makes the caller key and prints it; the manifest gets
 * it as {@code callerPublicKey}; apply inside the container host makes the delegate; the caller
 * runs the delegation by NAME. Then the container's host key is rotated: the caller refuses with
 * the documented message and runs nothing; re-pinning the new key in the manifest and applying on
 * the caller's machine restores service.
 */
@NeedsContainerHost
@DisplayName("fault: the delegate host's key rotated")
class HostKeyRotationIT {
    private static final String CALLER_HOST = "build1.it.example";
    private static final Pattern NOTE = Pattern.compile("note: caller key of (\\S+) \\(paste as callerPublicKey on its delegate hosts\\): (ssh-ed25519 \\S+)");

    private static Provisioner caller;
    private static ContainerHost web;
    private static TestUser ci;
    private static String delegation;
    private static String delegate;
    private static String callerKey;

    @BeforeAll
    static void provision() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser");
        web = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).start();
        caller = Provisioner.start("rotate");
        ci = caller.host().users().create("ci", caller.dir("home"));
        String r = Provisioner.random();
        delegation = "rot-" + r;
        // registered for removal in case an apply here ever made it (it must not: the delegate lives in the container)
        delegate = caller.delegate("dlg-rot-" + r);
        web.writeFile("/usr/local/bin/site-deploy", "#!/bin/sh\necho \"deployed $1 on $(hostname)\"\n", 0755);

        CommandResult first = caller.apply(manifest(web.hostPublicKey(), null), "--host-name", CALLER_HOST);
        Matcher m = NOTE.matcher(first.stdout());
        assertTrue(m.find(), () -> "apply on the caller's machine prints the key to paste: " + first);
        assertEquals(delegation, m.group(1));
        callerKey = m.group(2);

        CommandResult delegateSide = web.apply("127.0.0.1", manifest(web.hostPublicKey(), callerKey));
        assertEquals(0, delegateSide.exitCode(), delegateSide::toString);
        caller.apply(manifest(web.hostPublicKey(), callerKey), "--host-name", CALLER_HOST);
    }

    @AfterAll
    static void cleanUp() {
        if (web != null) {
            web.close();
        }
        if (caller != null) {
            caller.close();
        }
    }

    private static String manifest(String hostKey, String callerPublicKey) {
        return "version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + ci.name() + ", host: " + CALLER_HOST + "}\n"
                + "    delegate: {user: " + delegate + ", home: /var/lib/" + delegate + "}\n"
                + "    hosts:\n"
                + "      - {host: '127.0.0.1:" + web.sshPort() + "', hostKey: '" + hostKey + "'}\n"
                + "    from: ['" + web.callerAddress() + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: /usr/local/bin/site-deploy, args: ['v[0-9]+']}\n"
                + (callerPublicKey == null ? "" : "    callerPublicKey: '" + callerPublicKey + "'\n");
    }

    private static CommandResult runAsCaller() {
        List<String> argv = new ArrayList<>(DelegatorCli.argv(List.of("run", "--manifest", caller.layout().manifest().toString(),
                "--root", caller.root().toString(), "--no-audit", delegation, "deploy", "v1")));
        return RunAs.run(ci, Map.of(), argv);
    }

    @Test
    @DisplayName("works under the pinned key; after the rotation the caller refuses with HOST KEY CHANGED and what to do; "
            + "re-pinning in the manifest and apply restore service")
    void rotatedKeyRefusedThenRepinned() throws Exception {
        CommandResult before = runAsCaller();
        assertEquals(0, before.exitCode(), before::toString);
        assertTrue(before.stdout().startsWith("deployed v1 on "), before::toString);
        String oldKey = web.hostPublicKey();

        String newKey = web.rotateHostKey();
        assertNotEquals(oldKey, newKey);
        CommandResult refused = runAsCaller();

        assertEquals(255, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().contains("HOST KEY CHANGED for 127.0.0.1:" + web.sshPort() + ": it offered ssh-ed25519 SHA256:"),
                refused::toString);
        assertTrue(refused.stderr().contains("refusing to connect (someone may be intercepting the connection); "
                + "if it is the right key, add it to the manifest's hosts[].hostKey and run delegator apply"), refused::toString);
        assertFalse(refused.stdout().contains("deployed"), refused::toString);

        caller.apply(manifest(newKey, callerKey), "--host-name", CALLER_HOST);
        String pinned = Files.readString(caller.layout().callerKnownHosts(ci.name(), delegation));
        assertTrue(pinned.contains(newKey) && !pinned.contains(oldKey.split(" ")[1]), pinned);
        CommandResult after = runAsCaller();
        assertEquals(0, after.exitCode(), after::toString);
        assertTrue(after.stdout().startsWith("deployed v1 on "), after::toString);
    }
}

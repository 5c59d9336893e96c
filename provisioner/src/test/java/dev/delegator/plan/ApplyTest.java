package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.accounts.Accounts;
import dev.delegator.accounts.PosixUser;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.manifest.Manifest;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** plan / apply / revoke against real accounts, real files and a real private sshd. Runs as root. */
class ApplyTest {
    ProvisionFixture fx;
    String name;
    String delegate;

    @BeforeEach
    void setUp() {
        fx = new ProvisionFixture();
        name = ProvisionFixture.randomName("t");
        delegate = fx.delegate();
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private Applier.Result apply(Manifest m) throws Exception {
        return Applier.apply(m, fx.target(), new Applier.Options(false, java.time.Duration.ofMinutes(1), Progress.NONE));
    }

    private Applier.Result revoke(Manifest m, boolean removeUser) throws Exception {
        return Revoker.revoke(name, m.delegation(name), removeUser, fx.target(), new Applier.Options(false, java.time.Duration.ofMinutes(1), Progress.NONE));
    }

    private Path key() {
        return fx.layout().callerKey(fx.caller.name(), name);
    }

    private OpenSshClient client() {
        return new OpenSshClient(fx.sshd.port(), delegate, key(), fx.layout().callerKnownHosts(fx.caller.name(), name));
    }

    private static String summary(Plan p) {
        return p.changes().stream().map(Change::display).collect(Collectors.joining("\n"));
    }

    @Test
    void planApplyPlanShowsNoChanges() throws Exception {
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        Plan before = Planner.plan(m, fx.target());
        assertTrue(before.blockers().isEmpty(), before.blockers()::toString);
        assertTrue(before.changes().stream().anyMatch(c -> c.subject().equals("user " + delegate) && c.action() == Action.CREATE), summary(before));
        assertFalse(Files.exists(fx.layout().authorizedKeys(delegate)), "plan must not change anything");
        assertTrue(new Accounts().user(delegate).isEmpty(), "plan must not create users");

        Applier.Result r = apply(m);
        assertTrue(r.after().isEmpty(), () -> "left after apply:\n" + summary(r.after()));
        assertEquals(SchedulerDeny.BEGIN + "\n" + delegate + "\n" + SchedulerDeny.END + "\n", Files.readString(fx.layout().cronDeny()),
                "without cron.allow/cron.deny Debian's cron lets everyone in: apply creates cron.deny");
        assertFalse(Files.exists(fx.layout().atDeny()), "without at.allow/at.deny only root may use at: an at.deny would open it to others");
        assertTrue(Planner.plan(m, fx.target()).isEmpty());
        assertTrue(apply(m).executed().isEmpty(), "a second apply changes nothing");

        // the caller can append to its audit log, which lives in a directory only root may change
        FileStatus audit = FileStatus.of(fx.layout().callerAuditLog(fx.caller.name()));
        assertEquals(FileStatus.Kind.FILE, audit.kind());
        assertEquals(fx.caller.name(), audit.user());
        assertEquals("0600", FileStatus.octal(audit.mode()));
        assertEquals("root", FileStatus.of(fx.layout().callerDir(fx.caller.name())).user());

        PosixUser u = new Accounts().user(delegate).orElseThrow();
        assertEquals("/bin/sh", u.shell());
        assertTrue(u.ownedByDelegator());
        assertEquals("*", new Accounts().passwordField(delegate).orElseThrow());
        assertTrue(new Accounts().groupsOf(delegate).contains("delegator"));
        FileStatus ak = FileStatus.of(fx.layout().authorizedKeys(delegate));
        assertEquals("root", ak.user());
        assertEquals("0644", FileStatus.octal(ak.mode()));
        FileStatus k = FileStatus.of(key());
        assertEquals(fx.caller.name(), k.user());
        assertEquals("0600", FileStatus.octal(k.mode()));
        assertEquals("0700", FileStatus.octal(FileStatus.of(key().getParent()).mode()));
        String line = Files.readString(fx.layout().authorizedKeys(delegate));
        assertTrue(line.contains("restrict,from=\"127.0.0.1,::1\",expiry-time=\""), line);
        assertTrue(line.contains("command=\"" + fx.layout().dispatcher() + " --conf-dir " + fx.layout().dispatchConfDir() + " " + name + "\""), line);
        FileStatus res = FileStatus.of(fx.root.resolve("srv").resolve(name));
        assertEquals(delegate, res.user());
        assertEquals("0750", FileStatus.octal(res.mode()));
        assertEquals(DelegationStatus.State.OK, DelegationStatus.list(m, fx.target()).get(0).state());
    }

    @Test
    void driftIsShownAndRepaired() throws Exception {
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        apply(m);
        Path ak = fx.layout().authorizedKeys(delegate);
        // an edited line, a changed mode, a missing key, a locked account
        Files.writeString(ak, Files.readString(ak).replace("from=\"127.0.0.1,::1\"", "from=\"127.0.0.0/8\""));
        Files.setPosixFilePermissions(fx.layout().dispatchConf(name), FileStatus.perms(0666));
        Path conf = fx.layout().dispatchConf(name);
        Path dispatcher = fx.layout().dispatcher();
        Files.writeString(dispatcher, Files.readString(dispatcher).replaceFirst("# delegator-dispatch-version: [0-9]+", "# delegator-dispatch-version: 0"));
        Files.delete(key());
        Files.delete(Path.of(key() + ".pub"));
        dev.delegator.systemtools.SystemTool.check(List.of("usermod", "-p", "!", delegate));

        Plan drift = Planner.plan(m, fx.target());
        String text = summary(drift);
        assertTrue(text.contains("~ " + conf + " (mode 0666, want 0644)"), text);
        assertTrue(text.contains("+ key " + key()), text);
        assertTrue(text.contains("~ line for " + name), text);
        assertTrue(text.contains("account locked"), text);
        assertTrue(text.contains("~ " + dispatcher + " (stale: installed version unknown, this build has version "), text);
        assertEquals(DelegationStatus.State.MISSING, DelegationStatus.list(m, fx.target()).get(0).state());

        apply(m);
        assertTrue(Planner.plan(m, fx.target()).isEmpty());
        assertTrue(Files.readString(ak).contains("from=\"127.0.0.1,::1\""));
        assertEquals("0644", FileStatus.octal(FileStatus.of(conf).mode()));
        assertEquals("*", new Accounts().passwordField(delegate).orElseThrow());

        // only the edited line
        Files.writeString(ak, Files.readString(ak).replace("from=\"127.0.0.1,::1\"", "from=\"127.0.0.0/8\""));
        Plan edited = Planner.plan(m, fx.target());
        assertEquals(1, edited.changes().size(), summary(edited));
        assertEquals("options differ from the manifest (edited by hand, or the manifest changed)", edited.changes().get(0).reason());
        assertEquals(DelegationStatus.State.DRIFT, DelegationStatus.list(m, fx.target()).get(0).state());
    }

    @Test
    void anAccountMadeByOthersBetweenPlanAndItsCreationStopsTheApply() throws Exception {
        Plan plan = Planner.plan(fx.manifest(fx.delegation(name, delegate)), fx.target());
        Step create = plan.steps().stream().filter(CreateUserStep.class::isInstance).findFirst().orElseThrow();
        for (Step group : plan.steps().stream().filter(GroupStep.class::isInstance).toList()) {
            group.execute(new Execution(fx.target(), false, java.time.Duration.ofSeconds(5))); // useradd --groups needs them first
        }
        // no lookup before useradd any more: its refusal of the name is what the step examines
        dev.delegator.systemtools.SystemTool.check(List.of("useradd", "--system", "--user-group", "--shell", "/bin/sh", delegate));
        PosixUser foreign = new Accounts().user(delegate).orElseThrow();
        dev.delegator.accounts.ForeignAccountException e = assertThrows(dev.delegator.accounts.ForeignAccountException.class,
                () -> create.execute(new Execution(fx.target(), false, java.time.Duration.ofSeconds(5))));
        assertEquals(Accounts.foreignMessage(foreign), e.getMessage());
        assertEquals(foreign, new Accounts().user(delegate).orElseThrow(), "left as it was");
    }

    @Test
    void aGroupOfTheDelegatesNameThatExistsIsItsGroup() throws Exception {
        dev.delegator.systemtools.SystemTool.check(List.of("groupadd", "--system", delegate));
        int gid = new Accounts().group(delegate).orElseThrow().gid();
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        apply(m);
        PosixUser made = new Accounts().user(delegate).orElseThrow();
        assertEquals(gid, made.gid());
        assertTrue(made.ownedByDelegator());
        assertTrue(Planner.plan(m, fx.target()).isEmpty());
    }

    @Test
    void anAccountDelegatorDidNotCreateIsLeftAlone() throws Exception {
        TestUser foreign = fx.users.create("dlgtf", fx.root.resolve("home"));
        PosixUser before = new Accounts().user(foreign.name()).orElseThrow();
        Manifest m = fx.manifest(fx.delegation(name, foreign.name()));
        Plan plan = Planner.plan(m, fx.target());
        assertEquals(1, plan.blockers().size(), plan.blockers()::toString);
        assertTrue(plan.blockers().get(0).message().contains("account " + foreign.name() + " (uid " + before.uid()
                + ") exists and was not created by delegator"), plan.blockers().get(0).message());
        PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> apply(m));
        assertEquals(Blocker.Kind.REFUSED, e.kind());
        assertEquals(before, new Accounts().user(foreign.name()).orElseThrow());
        assertFalse(Files.exists(fx.layout().authorizedKeysDir()), "nothing applied");
        assertFalse(new Accounts().groupsOf(foreign.name()).contains("delegator"));
    }

    @Test
    void theCallerKeyRunsTheForcedCommandOnlyFromItsAddressAndNotAfterRevoke() throws Exception {
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        Applier.apply(m, fx.target(), new Applier.Options(true, java.time.Duration.ofMinutes(1), Progress.NONE));
        awaitRelisten();

        CommandResult ok = ssh(client(), "hello world");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertEquals("hello world from " + delegate + "\n", ok.stdout());

        CommandResult other = ssh(client(), "id");
        assertEquals(126, other.exitCode(), other::toString);
        assertFalse(other.stdout().contains("uid="), other.stdout());

        CommandResult shell = ssh(client(), List.of("-tt"), null);
        assertTrue(shell.exitCode() != 0, shell::toString);

        CommandResult from2 = ssh(client(), List.of("-b", "127.0.0.2"), "hello world");
        assertEquals(255, from2.exitCode(), from2::toString);
        assertTrue(fx.sshd.logText().contains("not from a permitted host (host=127.0.0.2"), fx.sshd.logText());

        Path savedKey = fx.root.resolve("saved_key");
        Files.copy(key(), savedKey);
        Files.setPosixFilePermissions(savedKey, FileStatus.perms(0600));
        Path savedKnownHosts = fx.root.resolve("saved_known_hosts");
        Files.copy(fx.layout().callerKnownHosts(fx.caller.name(), name), savedKnownHosts);

        List<Change> revoked = revoke(m, false).executed().changes();
        assertTrue(revoked.stream().anyMatch(c -> c.category() == Category.AUTHORIZED_KEYS), revoked::toString);
        assertFalse(Files.exists(key()));
        assertFalse(Files.exists(fx.layout().dispatchConf(name)));
        CommandResult after = ssh(new OpenSshClient(fx.sshd.port(), delegate, savedKey, savedKnownHosts), "hello world");
        assertEquals(255, after.exitCode(), after::toString);
        assertTrue(after.stderr().contains("Permission denied"), after.stderr());

        revoke(m, true);
        assertTrue(new Accounts().user(delegate).isEmpty(), "--remove-user removes the account delegator made");
    }

    @Test
    void revokeIsAPlanThatDryRunShowsAndTheApplierCarriesOut() throws Exception {
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        apply(m);
        Path ak = fx.layout().authorizedKeys(delegate);
        // a line of someone else's outside the managed block, with odd spacing: revoke keeps it byte for byte
        String foreign = "# the admin's own note\n" + fx.sshd.hostPublicKey().trim().replace(" ", "   ") + "   admin@elsewhere\n";
        Files.writeString(ak, foreign + Files.readString(ak));
        byte[] before = Files.readAllBytes(ak);
        Path keyDir = fx.layout().callerDelegationDir(fx.caller.name(), name);

        Plan p = Revoker.plan(name, m.delegation(name), true, fx.target());
        assertTrue(p.blockers().isEmpty(), p.blockers()::toString);
        assertEquals(String.join("\n",
                "- line for " + name + " in " + ak + " (revoked)",
                "- " + fx.layout().dispatchConf(name) + " (revoked)",
                "- key directory " + keyDir + " (revoked)",
                "~ " + fx.layout().stateFile() + " (forget " + name + ")",
                "~ " + fx.layout().cronDeny() + " (take " + delegate + " out of delegator's block (revoked))",
                "- user " + delegate + " (revoked with --remove-user)"), summary(p));
        String text = PlanReport.text(p, "nothing");
        assertTrue(text.startsWith("users and groups:\n  - user " + delegate + " (revoked with --remove-user)\n"), text);
        assertTrue(text.endsWith("plan: 0 to create, 2 to update, 4 to remove\n"), text);
        // planning changed nothing
        assertTrue(Files.exists(key()));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(ak)));
        assertTrue(new Accounts().user(delegate).isPresent());

        Applier.Result r = revoke(m, true);
        assertEquals(summary(p), summary(r.executed()));
        assertTrue(r.after().isEmpty(), () -> summary(r.after()));
        String left = Files.readString(ak);
        assertTrue(left.startsWith(foreign) && !left.contains("delegator:" + name), left);
        assertFalse(Files.exists(keyDir));
        assertTrue(DelegationState.read(fx.layout().stateFile()).since(name).isEmpty());
        assertTrue(new Accounts().user(delegate).isEmpty());
        assertTrue(Revoker.plan(name, m.delegation(name), true, fx.target()).isEmpty(), "nothing left to revoke");
        assertEquals("nothing\n", PlanReport.text(Revoker.plan(name, m.delegation(name), true, fx.target()), "nothing"));
    }

    @Test
    void revokeRemoveUserOfAForeignAccountIsRefusedBeforeAnythingChanges() throws Exception {
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        apply(m);
        byte[] before = Files.readAllBytes(fx.layout().authorizedKeys(delegate));
        // the manifest now names the caller's own account (not delegator's) as the delegate
        Manifest foreign = fx.manifest(fx.delegation(name, fx.caller.name()));
        Plan p = Revoker.plan(name, foreign.delegation(name), true, fx.target());
        String expected = "--remove-user: account " + fx.caller.name() + " (uid " + new Accounts().user(fx.caller.name()).orElseThrow().uid()
                + ") was not created by delegator";
        assertTrue(p.blockers().get(0).message().startsWith(expected), p.blockers()::toString);
        PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> revoke(foreign, true));
        assertTrue(e.getMessage().startsWith("nothing applied: " + expected), e.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(fx.layout().authorizedKeys(delegate))), "the line is still there");
        assertTrue(Files.exists(key()));
        assertTrue(new Accounts().user(fx.caller.name()).isPresent());
    }

    @Test
    void applyDeniesTheDelegateCronAndAtKeepingTheFilesAndRevokeTakesItBack() throws Exception {
        Path cronDeny = fx.layout().cronDeny();
        Path atDeny = fx.layout().atDeny();
        Files.createDirectories(atDeny.getParent());
        // as Debian ships it: root:daemon 0640, the admin's lines
        Files.writeString(atDeny, "alias\nbackup\n");
        FileStatus.setMode(atDeny, FileStatus.perms(0640));
        new dev.delegator.files.FileOwner("root", "daemon").applyTo(atDeny);
        Manifest m = fx.manifest(fx.delegation(name, delegate));

        apply(m);

        String block = SchedulerDeny.BEGIN + "\n" + delegate + "\n" + SchedulerDeny.END + "\n";
        assertEquals("alias\nbackup\n" + block, Files.readString(atDeny));
        FileStatus at = FileStatus.of(atDeny);
        assertEquals("daemon", at.group());
        assertEquals("0640", FileStatus.octal(at.mode()));
        assertEquals(block, Files.readString(cronDeny));
        assertEquals("0644", FileStatus.octal(FileStatus.of(cronDeny).mode()));
        assertTrue(Planner.plan(m, fx.target()).isEmpty(), "a second plan changes nothing");

        Files.writeString(fx.layout().atAllow(), delegate + "\n");
        Plan allowed = Planner.plan(m, fx.target());
        assertEquals(List.of(atDeny.resolveSibling("at.allow") + " lets delegate " + delegate
                + " use at (a job would run outside the sandbox); remove that line"), allowed.blockers().stream().map(Blocker::message).toList());
        Files.delete(fx.layout().atAllow());

        List<Change> revoked = revoke(m, false).executed().changes();
        assertTrue(revoked.stream().anyMatch(c -> c.category() == Category.SCHEDULERS), revoked::toString);
        assertEquals("alias\nbackup\n", Files.readString(atDeny));
        assertEquals("", Files.readString(cronDeny));
        assertEquals("daemon", FileStatus.of(atDeny).group());
    }

    @Test
    void removingADelegationFromTheManifestRemovesItsLinesConfAndKey() throws Exception {
        String other = ProvisionFixture.randomName("t");
        String otherDelegate = fx.delegate();
        apply(fx.manifest(fx.delegation(name, delegate) + fx.delegation(other, otherDelegate)));
        Manifest smaller = fx.manifest(fx.delegation(name, delegate));
        Plan p = Planner.plan(smaller, fx.target());
        String text = summary(p);
        assertTrue(text.contains("- line for " + other), text);
        assertTrue(text.contains("- " + fx.layout().dispatchConf(other)), text);
        assertTrue(text.contains("- key directory " + fx.layout().callerDelegationDir(fx.caller.name(), other)), text);
        apply(smaller);
        assertFalse(Files.exists(fx.layout().authorizedKeys(otherDelegate)));
        assertTrue(Planner.plan(smaller, fx.target()).isEmpty());
    }

    @Test
    void aRemoteDelegateHostNeedsTheCallerKeyFromTheManifest() throws Exception {
        // the caller host applies first and prints its key; the delegate host applies with it pasted in
        String yaml = "  " + name + ":\n"
                + "    caller: {user: " + fx.caller.name() + ", host: build1}\n"
                + "    delegate: {user: " + delegate + ", home: " + fx.root.resolve("home").resolve(delegate) + "}\n"
                + "    hosts: [{host: 'testhost:" + fx.sshd.port() + "', hostKey: '" + fx.sshd.hostPublicKey().trim() + "'}]\n"
                + "    from: ['127.0.0.1']\n"
                + "    verbs: {hello: {run: " + fx.verbScript + ", args: ['[a-z]+']}}\n";
        Manifest m = fx.manifest(yaml);
        // two machines: the caller host's layout lives in its own root
        java.nio.file.Path buildRoot = fx.root.resolve("build1");
        Files.createDirectories(buildRoot);
        Target build1 = new Target(dev.delegator.layout.Layout.under(buildRoot), fx.target().sshdPaths(), ThisHost.named("build1"),
                new Accounts(), dev.delegator.install.ScriptSource.bundled(), java.time.Clock.systemUTC());
        Applier.Result onCaller = Applier.apply(m, build1, new Applier.Options(false, java.time.Duration.ofMinutes(1), Progress.NONE));
        String notice = onCaller.after().notices().stream().filter(n -> n.startsWith("caller key of " + name)).findFirst().orElseThrow();
        String pub = notice.substring(notice.indexOf("ssh-ed25519"));
        Path buildKey = build1.layout().callerKey(fx.caller.name(), name);
        assertTrue(Files.readString(build1.layout().callerKnownHosts(fx.caller.name(), name)).startsWith("[testhost]:" + fx.sshd.port() + " ssh-ed25519 "));

        Plan waiting = Planner.plan(m, fx.target("testhost"));
        assertTrue(waiting.notices().stream().anyMatch(n -> n.contains("waiting for callerPublicKey")), waiting.notices()::toString);
        Applier.apply(m, fx.target("testhost"), new Applier.Options(true, java.time.Duration.ofMinutes(1), Progress.NONE));
        awaitRelisten();
        DelegationStatus status = DelegationStatus.list(m, fx.target("testhost")).get(0);
        assertEquals(DelegationStatus.State.MISSING, status.state());
        assertEquals("delegate", status.side());
        assertTrue(status.details().contains("waiting for callerPublicKey (apply on build1 prints it)"), status.details()::toString);

        Manifest pasted = fx.manifest(yaml + "    callerPublicKey: '" + pub + "'\n");
        Applier.apply(pasted, fx.target("testhost"), new Applier.Options(true, java.time.Duration.ofMinutes(1), Progress.NONE));
        Path kh = fx.root.resolve("kh");
        Files.writeString(kh, fx.sshd.knownHostsLine() + "\n");
        CommandResult ok = ssh(new OpenSshClient(fx.sshd.port(), delegate, buildKey, kh), "hello remote");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertEquals("hello remote from " + delegate + "\n", ok.stdout());
    }

    @Test
    void anExpiredDelegationIsListedAsExpired() throws Exception {
        Manifest m = fx.manifest(fx.delegation(name, delegate).replace("expires: 30d", "expires: 2020-01-01"));
        apply(m);
        List<DelegationStatus> list = DelegationStatus.list(m, fx.target());
        assertEquals(DelegationStatus.State.EXPIRED, list.get(0).state(), list::toString);
        assertEquals("caller+delegate", list.get(0).side());
        assertTrue(Files.readString(fx.layout().authorizedKeys(delegate)).contains("expiry-time=\"20200101000000Z\""));
    }

    @Test
    void idsComeFromTheRangesAndSharedGroupsAreCreated() throws Exception {
        String group = ProvisionFixture.randomName("dlgtg");
        fx.removeGroupOnClose(group);
        String yaml = fx.delegation(name, delegate)
                .replace("}\n    hosts:", ", groups: [" + group + "]}\n    hosts:")
                .replace("mode: '0750'}", "mode: '0770', group: " + group + "}");
        java.nio.file.Path m = fx.root.resolve("ranges.yaml");
        Files.writeString(m, "version: 1\nuidRange: '62900-62999'\ngidRange: '62900-62999'\ngroups:\n  - name: " + group
                + "\ndelegations:\n" + yaml);
        Manifest manifest = dev.delegator.manifest.ManifestLoader.load(m);
        apply(manifest);
        PosixUser u = new Accounts().user(delegate).orElseThrow();
        assertTrue(u.uid() >= 62900 && u.uid() <= 62999, "uid " + u.uid());
        assertTrue(u.gid() >= 62900 && u.gid() <= 62999, "gid " + u.gid());
        var g = new Accounts().group(group).orElseThrow();
        assertTrue(g.gid() >= 62900 && g.gid() <= 62999, "shared gid " + g.gid());
        assertTrue(new Accounts().groupsOf(delegate).contains(group));
        FileStatus res = FileStatus.of(fx.root.resolve("srv").resolve(name));
        assertEquals(group, res.group());
        assertEquals("0770", FileStatus.octal(res.mode()));
        assertTrue(Planner.plan(manifest, fx.target()).isEmpty(), "stable across applies");
    }

    @Test
    void aSymlinkOrDirectoryWhereAScriptGoesBlocksThePlanAndApplyChangesNothing() throws Exception {
        List<dev.delegator.install.Script> scripts = fx.target().scripts().scripts();
        Path linked = fx.layout().libDir().resolve(scripts.get(0).relativePath());
        Path dir = fx.layout().libDir().resolve(scripts.get(1).relativePath());
        Files.createDirectories(linked.getParent());
        Path elsewhere = fx.root.resolve("elsewhere");
        Files.writeString(elsewhere, "not delegator's\n");
        Files.createSymbolicLink(linked, elsewhere);
        Files.createDirectories(dir);
        Manifest m = fx.manifest(fx.delegation(name, delegate));

        Plan p = Planner.plan(m, fx.target());
        List<String> refused = p.blockers().stream().map(Blocker::message).toList();
        assertTrue(refused.contains(linked + " is not a regular file; remove it"), refused::toString);
        assertTrue(refused.contains(dir + " is not a regular file; remove it"), refused::toString);
        assertTrue(PlanReport.text(p).contains("refused: " + linked + " is not a regular file; remove it\n"), PlanReport.text(p));

        PlanRefusedException e = assertThrows(PlanRefusedException.class, () -> apply(m));
        assertEquals(Blocker.Kind.REFUSED, e.kind());
        assertTrue(Files.isSymbolicLink(linked), "the link is left alone");
        assertEquals("not delegator's\n", Files.readString(elsewhere), "nothing was written through the link");
        assertTrue(Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(new Accounts().user(delegate).isEmpty(), "nothing applied");
        assertFalse(Files.exists(fx.layout().dispatchConf(name)));
    }

    @Test
    void everyWrittenAuthorizedKeysFileParses() throws Exception {
        apply(fx.manifest(fx.delegation(name, delegate)));
        AuthorizedKeysFile f = AuthorizedKeysFile.read(fx.layout().authorizedKeys(delegate));
        f.requireWritable();
        assertEquals(1, f.managedLines().size());
        assertEquals("delegator:" + name, f.managedLines().get(0).comment());
    }

    @Test
    void aConfigWithoutTheIncludeIsRefusedBeforeAnythingChanges() throws Exception {
        // the same sshd config without its Include line: the drop-in would have no effect
        Path dir = fx.root.resolve("sshd-noinclude");
        Files.createDirectories(dir.resolve("sshd_config.d"));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, Files.readString(fx.sshd.configFile()).lines().filter(l -> !l.startsWith("Include "))
                .collect(Collectors.joining("\n", "", "\n")));
        Target t = new Target(fx.layout(), new dev.delegator.sshdconfig.SshdPaths(config, dev.delegator.sshdconfig.SshdPaths.DEFAULT_BINARY),
                ThisHost.named(ProvisionFixture.HOST), new Accounts(), dev.delegator.install.ScriptSource.bundled(), java.time.Clock.systemUTC());
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        PlanRefusedException e = assertThrows(PlanRefusedException.class,
                () -> Applier.apply(m, t, new Applier.Options(false, java.time.Duration.ofMinutes(1), Progress.NONE)));
        assertEquals(Blocker.Kind.SYSTEM, e.kind());
        assertTrue(e.getMessage().contains(config + " does not Include " + dir.resolve("sshd_config.d") + "/*.conf"), e.getMessage());
        assertTrue(new Accounts().user(delegate).isEmpty(), "nothing applied");
        assertFalse(Files.exists(dir.resolve("sshd_config.d").resolve("50-delegator.conf")));
    }

    @Test
    void aDropInSshdRefusesIsRestored() throws Exception {
        // sshd -t fails on this config (its host key is gone): the drop-in step must put the old file back
        Path dir = fx.root.resolve("sshd-broken");
        Files.createDirectories(dir.resolve("sshd_config.d"));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, "Include " + dir.resolve("sshd_config.d") + "/*.conf\nHostKey " + dir.resolve("missing_host_key") + "\nUsePAM no\n");
        Path dropIn = dir.resolve("sshd_config.d").resolve("50-delegator.conf");
        Files.writeString(dropIn, "# the previous drop-in\n");
        Target t = new Target(fx.layout(), new dev.delegator.sshdconfig.SshdPaths(config, dev.delegator.sshdconfig.SshdPaths.DEFAULT_BINARY),
                ThisHost.named(ProvisionFixture.HOST), new Accounts(), dev.delegator.install.ScriptSource.bundled(), java.time.Clock.systemUTC());
        DropInStep step = new DropInStep(List.of(), dropIn, dev.delegator.sshdconfig.DropIn.render(fx.layout()), List.of(),
                dev.delegator.files.AtomicFile.read(dropIn));
        dev.delegator.systemtools.SystemToolException e = assertThrows(dev.delegator.systemtools.SystemToolException.class,
                () -> step.execute(new Execution(t, false, java.time.Duration.ofSeconds(5))));
        assertTrue(e.getMessage().startsWith("sshd -t -f " + config + " refuses the config with the delegator drop-in: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the previous drop-in was restored"), e.getMessage());
        assertEquals("# the previous drop-in\n", Files.readString(dropIn));
    }

    /**
     * Runs OpenSSH's ssh with stdin held open until it exits: the dispatcher cancels the work when
     * its stdin (the channel) reaches EOF, as a caller that went away would.
     */
    static CommandResult ssh(OpenSshClient c, List<String> extra, String command) throws Exception {
        Process p = new ProcessBuilder(c.command(extra, command)).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        p.getOutputStream().close();
        return new CommandResult(p.exitValue(), out, err.get());
    }

    static CommandResult ssh(OpenSshClient c, String command) throws Exception {
        return ssh(c, List.of(), command);
    }

    /** After apply's SIGHUP, sshd re-execs: wait until it listens again. */
    private void awaitRelisten() throws InterruptedException {
        // generous: a loaded CI machine may take a while to re-exec sshd
        for (int i = 0; i < 400; i++) {
            String log = fx.sshd.logText();
            if (log.split("Server listening on 127.0.0.1", -1).length - 1 >= 2) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sshd did not listen again after the reload:\n" + fx.sshd.logText());
    }
}

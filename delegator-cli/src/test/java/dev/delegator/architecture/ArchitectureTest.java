package dev.delegator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout of docs/architecture.md, checked: which module may use which, who may use picocli,
 * no package cycles, internal packages private to their module. The CLI module sees every other
 * module on its test classpath, so the rules run here. A rule that fails names the offending
 * dependency; fix the code, or change the rule together with docs/architecture.md.
 */
class ArchitectureTest {
    /** The formats library (authorized-keys-gen): uses nothing else of ours. */
    private static final String[] FORMATS = {
        "dev.delegator.authorizedkeys..", "dev.delegator.keys..", "dev.delegator.files..", "dev.delegator.knownhosts.."};
    /** The manifest module. */
    private static final String[] MANIFEST = {"dev.delegator.manifest..", "dev.delegator.layout.."};
    /** The provisioner module. */
    private static final String[] PROVISIONER = {
        "dev.delegator.plan..", "dev.delegator.accounts..", "dev.delegator.sshdconfig..", "dev.delegator.dispatchconfig..",
        "dev.delegator.install..", "dev.delegator.systemtools.."};
    /** The caller library (hook-runner). */
    private static final String[] CALLER = {
        "dev.delegator.client..", "dev.delegator.invocation..", "dev.delegator.fanout..", "dev.delegator.hooks..",
        "dev.delegator.audit.."};
    /** The delegate side (deploy-scripts). */
    private static final String SCRIPTS = "dev.delegator.scripts..";
    private static final String CLI = "dev.delegator.cli..";
    private static final String DEMO = "dev.delegator.demo..";
    private static final String LOCAL_SSHD = "dev.delegator.localsshd..";
    private static final String TESTKIT = "dev.delegator.testkit..";

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                // our modules arrive as target/classes or as jars, depending on the reactor phase:
                // take both, our packages only, and leave out test classes
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.delegator");
    }

    @Test
    void everyModuleIsOnTheClasspath() {
        for (String pkg : new String[] {"dev.delegator.authorizedkeys", "dev.delegator.manifest", "dev.delegator.plan",
            "dev.delegator.client", "dev.delegator.scripts", "dev.delegator.cli", "dev.delegator.demo",
            "dev.delegator.localsshd"}) {
            if (main.stream().noneMatch(c -> c.getPackageName().equals(pkg))) {
                throw new AssertionError("no class of " + pkg + " was imported: the rules below would pass vacuously");
            }
        }
    }

    @Test
    void theFormatsLibraryUsesNothingElseOfOurs() {
        noClasses().that().resideInAnyPackage(FORMATS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(MANIFEST, PROVISIONER, CALLER, SCRIPTS, CLI, DEMO))
                .because("authorized-keys-gen is the OpenSSH formats library every other module builds on")
                .check(main);
    }

    @Test
    void theManifestUsesOnlyTheFormatsLibrary() {
        noClasses().that().resideInAnyPackage(MANIFEST)
                .should().dependOnClassesThat().resideInAnyPackage(concat(PROVISIONER, CALLER, new String[] {SCRIPTS, CLI, DEMO}))
                .because("the caller and the provisioner both read the manifest")
                .check(main);
    }

    @Test
    void provisioningDoesNotUseTheCallerSide() {
        noClasses().that().resideInAnyPackage(PROVISIONER)
                .should().dependOnClassesThat().resideInAnyPackage(concat(CALLER, new String[] {CLI, DEMO}))
                .check(main);
    }

    @Test
    void theCallerSideDoesNotUseProvisioning() {
        noClasses().that().resideInAnyPackage(CALLER)
                .should().dependOnClassesThat().resideInAnyPackage(concat(PROVISIONER, new String[] {SCRIPTS, CLI, DEMO}))
                .because("a caller host needs no provisioning code to run a delegation")
                .check(main);
    }

    @Test
    void theDelegateSideUsesNothingOfOurs() {
        noClasses().that().resideInAPackage(SCRIPTS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(FORMATS, MANIFEST, PROVISIONER, CALLER, CLI, DEMO))
                .check(main);
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        noClasses().that().resideOutsideOfPackage(CLI)
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("commands are thin: parse, call one library method, print")
                .check(main);
    }

    @Test
    void internalPackagesStayInsideTheirModule() {
        classes().that().resideInAPackage("dev.delegator.client.internal..")
                .should().onlyHaveDependentClassesThat().resideInAPackage("dev.delegator.client..")
                .because("MINA subclasses and helpers are not API (JGit's transport.sshd / internal.transport.sshd split)")
                .check(main);
    }

    @Test
    void theLocalSshdUsesNothingOfOurs() {
        noClasses().that().resideInAPackage(LOCAL_SSHD)
                .should().dependOnClassesThat().resideInAnyPackage(concat(FORMATS, MANIFEST, PROVISIONER, CALLER, SCRIPTS, CLI, DEMO, TESTKIT))
                .check(main);
    }

    @Test
    void nothingShippedUsesTheTestkit() {
        noClasses().that().resideOutsideOfPackage(TESTKIT)
                .should().dependOnClassesThat().resideInAnyPackage(TESTKIT, "org.junit..")
                .because("the CLI jar must not carry JUnit")
                .check(main);
    }

    @Test
    void theDemoIsNotACommand() {
        noClasses().that().resideInAPackage(DEMO)
                .should().dependOnClassesThat().resideInAPackage(CLI)
                .check(main);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.delegator.(*)..").should().beFreeOfCycles().check(main);
    }

    private static String[] concat(Object... parts) {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (Object p : parts) {
            if (p instanceof String s) {
                all.add(s);
            } else {
                all.addAll(java.util.List.of((String[]) p));
            }
        }
        return all.toArray(String[]::new);
    }
}

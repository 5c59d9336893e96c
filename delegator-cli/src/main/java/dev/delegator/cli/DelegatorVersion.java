package dev.delegator.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar's manifest. */
public final class DelegatorVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = DelegatorVersion.class.getPackage().getImplementationVersion();
        return new String[] {"delegator " + (v == null ? "development build" : v)};
    }
}

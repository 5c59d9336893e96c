package dev.delegator.plan;

import dev.delegator.systemtools.SystemTool;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads an nftables file into the kernel ({@code nft -f}: one transaction, all or nothing), or with
 * {@code file} null deletes the table: the kernel side of {@code network: loopback}, which the plan
 * found missing or different from the file.
 */
record NftLoadStep(Change change, Path file, String table) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) {
        if (file == null) {
            SystemTool.check(List.of("nft", "delete", "table", "inet", table));
        } else {
            SystemTool.check(List.of("nft", "-f", file.toString()));
        }
    }
}
